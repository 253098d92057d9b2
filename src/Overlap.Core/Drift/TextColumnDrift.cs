using System.Globalization;
using Overlap.Core.Statements;

namespace Overlap.Core.Drift;

/// <summary>
/// A text column's drift in detail: the domain-classifier test on its sentence embeddings (its verdict is the
/// column's, in <see cref="DriftReport.Columns"/>) and its simple descriptors, each through the usual numeric or
/// categorical test.
/// </summary>
public sealed record TextColumnDrift
{
    /// <summary>The text column.</summary>
    public required string Column { get; init; }

    /// <summary>The embedding model, as <see cref="Text.ITextEmbedder.ModelName"/> names it; null when not judged.</summary>
    public string? Model { get; init; }

    /// <summary>Reference texts embedded (a seeded sample of at most <see cref="DriftOptions.TextSample"/>).</summary>
    public int ReferenceSampled { get; init; }

    /// <summary>Current texts embedded.</summary>
    public int CurrentSampled { get; init; }

    /// <summary>ROC AUC of the classifier telling current texts from reference ones on held-out halves; NaN when not judged.</summary>
    public double Auc { get; init; } = double.NaN;

    /// <summary>The 95th percentile of the AUC with shuffled labels: what chance alone reaches on samples this size.</summary>
    public double ChanceAuc { get; init; } = double.NaN;

    /// <summary>The AUC drift must exceed: the larger of Evidently's 0.55 and <see cref="ChanceAuc"/>.</summary>
    public double Threshold { get; init; } = double.NaN;

    /// <summary>
    /// Unbiased MMD² of the two samples' embeddings (Gaussian kernel, median-distance width): a second view of the
    /// same question, shown beside the classifier's verdict, not deciding it; NaN when not judged.
    /// </summary>
    public double Mmd { get; init; } = double.NaN;

    /// <summary>The MMD²'s permutation p-value (199 seeded relabellings); NaN when not judged.</summary>
    public double MmdPValue { get; init; } = double.NaN;

    /// <summary>The MMD² and its p-value in words, for reports; null when not judged.</summary>
    public string? MmdInWords() =>
        double.IsFinite(Mmd) && double.IsFinite(MmdPValue)
            ? $"kernel two-sample test on the same embeddings: MMD² {Mmd.ToString("0.####", CultureInfo.InvariantCulture)}, {Phrasing.PValue(MmdPValue)}"
            : null;

    /// <summary>True when the wording drifted (<see cref="Auc"/> above <see cref="Threshold"/>).</summary>
    public bool Drift { get; init; }

    /// <summary>The outcome in words.</summary>
    public required string Meaning { get; init; }

    /// <summary>
    /// The descriptors' tests, one entry per descriptor, named <c>column.length</c>, <c>column.words</c>,
    /// <c>column.unknown_words</c>, <c>column.non_ascii_letters</c> and <c>column.language</c>.
    /// </summary>
    public required IReadOnlyList<ColumnDrift> Descriptors { get; init; }
}
