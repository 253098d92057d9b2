namespace Overlap.Core.Statistics;

/// <summary>The outcome of a hypothesis test.</summary>
/// <param name="Statistic">The test statistic.</param>
/// <param name="PValue">The two-sided p-value.</param>
/// <param name="Exact">True when the p-value came from the exact distribution rather than an asymptotic one.</param>
public readonly record struct TestResult(double Statistic, double PValue, bool Exact);
