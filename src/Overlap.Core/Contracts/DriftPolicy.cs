using Overlap.Core.Drift;

namespace Overlap.Core.Contracts;

/// <summary>Which drift test to use: <c>auto</c> (DESIGN.md's defaults) or a forced test, overall and per column.</summary>
public sealed record DriftPolicy
{
    /// <summary>
    /// The test for every column; null for <c>auto</c> (picked by the column's kind and the reference's size, as
    /// <see cref="Drift.DriftTests"/> declares).
    /// </summary>
    public DriftTestKind? Test { get; init; }

    /// <summary>A test per column name, overriding <see cref="Test"/>.</summary>
    public IReadOnlyDictionary<string, DriftTestKind?> Columns { get; init; } =
        new Dictionary<string, DriftTestKind?>();

    /// <summary>
    /// Free-text columns (a contract's <c>drift.text</c>, the CLI's <c>--text</c>): judged on their sentence embeddings
    /// by a domain classifier, with simple descriptors beside it, instead of as categories.
    /// </summary>
    public IReadOnlyList<string> Text { get; init; } = [];
}
