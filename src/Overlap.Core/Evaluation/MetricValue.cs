namespace Overlap.Core.Evaluation;

/// <summary>A metric with its interval and the number of examples behind it.</summary>
/// <param name="Value">The point estimate (NaN when undefined).</param>
/// <param name="CiLow">Lower bound of the interval (NaN when unknown).</param>
/// <param name="CiHigh">Upper bound of the interval (NaN when unknown).</param>
/// <param name="N">The examples the figure rests on (the denominator for a rate).</param>
public sealed record MetricValue(double Value, double CiLow, double CiHigh, long N)
{
    /// <summary>Why the figure has no value (NaN, written as null), in the contract's words; null when it has one.</summary>
    public string? Reason { get; init; }
}
