namespace Overlap.Core.Drift;

/// <summary>One column's test outcome.</summary>
/// <param name="Test">The test that ran.</param>
/// <param name="Statistic">Its statistic (D, normalised distance, chi-square, JS distance or PSI); NaN when the column could not be tested.</param>
/// <param name="PValue">The p-value for ks and chi_square; null for the distances.</param>
/// <param name="Threshold">The p-value's alpha, or the bar the statistic must reach.</param>
/// <param name="Drift">True when the column drifted.</param>
internal sealed record ColumnDriftResult(
    DriftTestKind Test,
    double Statistic,
    double? PValue,
    double Threshold,
    bool Drift
);
