using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>How every engine turns a point estimate into a <see cref="MetricEstimate"/>.</summary>
internal static class MetricIntervals
{
    /// <summary>A proportion with its Wilson interval; NaN and unknown without trials.</summary>
    public static MetricEstimate Proportion(long successes, long trials, double confidence) =>
        new(Ratio(successes, trials), Wilson.Interval(successes, trials, confidence), trials);

    /// <summary>
    /// A bootstrapped metric: the percentile interval of its replicates (sorted in place), unknown when the
    /// point is undefined, the bootstrap was skipped, or there are fewer than two examples (one example resamples to itself, a zero-width interval that would pass any bar).
    /// </summary>
    public static MetricEstimate Bootstrapped(double point, Span<double> replicates, double confidence, long n) =>
        new(
            point,
            !replicates.IsEmpty && !double.IsNaN(point) && n >= 2
                ? Bootstrap.Percentile(replicates, confidence)
                : Interval.Unknown,
            n
        );

    /// <summary>numerator / denominator, or NaN when the denominator is not positive.</summary>
    public static double Ratio(double numerator, double denominator) =>
        denominator > 0 ? numerator / denominator : double.NaN;
}
