namespace Overlap.Core.Statistics;

/// <summary>A two-sided confidence interval. Both bounds are NaN when there is no data to judge.</summary>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>The interval that says nothing: both bounds NaN.</summary>
    public static Interval Unknown { get; } = new(double.NaN, double.NaN);

    /// <summary>True when both bounds are finite numbers.</summary>
    public bool IsKnown => !double.IsNaN(Low) && !double.IsNaN(High);
}
