using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>A metric's point estimate with its confidence interval and the count it rests on.</summary>
/// <param name="Value">The point estimate; NaN when undefined (for example recall with no positives).</param>
/// <param name="Interval">Wilson for proportions, percentile bootstrap otherwise; unknown when undefined.</param>
/// <param name="N">
/// The denominator: positives for recall, predicted positives for precision, negatives for specificity and
/// the false positive rate, positives for the false negative rate, all examples for the rest.
/// </param>
internal readonly record struct MetricEstimate(double Value, Interval Interval, long N);
