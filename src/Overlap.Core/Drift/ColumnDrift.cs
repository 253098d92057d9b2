using System.Text.Json.Serialization;

namespace Overlap.Core.Drift;

/// <summary>One column's drift verdict (the DESIGN.md report shape, with the distributions added).</summary>
public sealed record ColumnDrift
{
    /// <summary>The column.</summary>
    public required string Column { get; init; }

    /// <summary>numeric, categorical or text.</summary>
    public required string Kind { get; init; }

    /// <summary>ks, wasserstein, chi_square, jensen_shannon, psi, or domain_classifier for a text column (its statistic a ROC AUC).</summary>
    public required string Test { get; init; }

    /// <summary>The test's statistic (D, normalised distance, chi-square, JS distance or PSI).</summary>
    public required double Statistic { get; init; }

    /// <summary>The p-value, for ks and chi_square; null for the distances (written as null: DESIGN.md's shape has the field).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? PValue { get; init; }

    /// <summary>The threshold drift is judged at: the p-value's alpha, or the statistic's bar.</summary>
    public required double Threshold { get; init; }

    /// <summary>True when the column drifted (a missing column or a changed type counts); false when stable or not judged (see <see cref="Reason"/>).</summary>
    [JsonIgnore]
    public bool Drift { get; init; }

    /// <summary>The JSON <c>drift</c>: true, false, or null when the column could not be judged (<see cref="Reason"/> says why).</summary>
    [JsonPropertyName("drift")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool? DriftVerdict
    {
        get => Reason is not null && !Drift ? null : Drift;
        init => Drift = value ?? false;
    }

    /// <summary>Why the column was not tested as before: not enough data (drift null), or missing or of another type now (drift true).</summary>
    public string? Reason { get; init; }

    /// <summary>The statistic in words: its unit or scale, its threshold and what the figure says; null when there is no statistic.</summary>
    public string? Meaning { get; init; }

    /// <summary>Non-missing values in the reference.</summary>
    public long ReferenceN { get; init; }

    /// <summary>Non-missing values in the current data.</summary>
    public long CurrentN { get; init; }

    /// <summary>The two distributions, for charts.</summary>
    public DistributionSummary? Distribution { get; init; }
}
