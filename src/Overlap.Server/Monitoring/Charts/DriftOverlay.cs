namespace Overlap.Server.Monitoring.Charts;

/// <summary>One column's drift in a window: the test's outcome, and the reference and current shares per bin, to draw over each other.</summary>
/// <param name="Column">The column.</param>
/// <param name="Kind">numeric or categorical.</param>
/// <param name="Test">ks, wasserstein, chi_square, jensen_shannon or psi.</param>
/// <param name="Statistic">The test's statistic; null when the column could not be tested.</param>
/// <param name="PValue">The p-value, for ks and chi_square.</param>
/// <param name="Threshold">The p-value's alpha, or the bar the statistic must reach.</param>
/// <param name="Drift">True when the column drifted, false when it is stable, null when it could not be judged.</param>
/// <param name="Bins">Bin labels: the category, or the bin's lower edge.</param>
/// <param name="Reference">Share of the reference in each bin.</param>
/// <param name="Current">Share of the window in each bin.</param>
/// <param name="Reason">Why the column was not judged, or what its schema change is.</param>
public sealed record DriftOverlay(
    string Column,
    string Kind,
    string Test,
    double? Statistic,
    double? PValue,
    double Threshold,
    bool? Drift,
    string[] Bins,
    double[] Reference,
    double[] Current,
    string? Reason = null
);
