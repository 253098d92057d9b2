using Overlap.Core.Evaluation;
using Overlap.Core.Statistics;

namespace Overlap.Core.Monitoring;

/// <summary>
/// The metrics only production carries, measured over every prediction of a window: latency p50, p95 and p99 (numpy's
/// linear percentile) with distribution-free order-statistic intervals (<see cref="QuantileInterval"/>).
/// </summary>
public static class ProductionMetrics
{
    /// <summary>The latency metrics of <paramref name="sortedLatencies"/> (ascending, no NaN); none when empty.</summary>
    public static IReadOnlyDictionary<string, MetricValue> Latency(ReadOnlySpan<double> sortedLatencies, double confidence)
    {
        var metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        if (sortedLatencies.IsEmpty)
        {
            return metrics;
        }
        foreach (var (name, q) in new[] { ("latency_p50_ms", 0.50), ("latency_p95_ms", 0.95), ("latency_p99_ms", 0.99) })
        {
            var interval = QuantileInterval.OrderStatistic(sortedLatencies, q, confidence);
            metrics[name] = new MetricValue(Bootstrap.Quantile(sortedLatencies, q), interval.Low, interval.High, sortedLatencies.Length);
        }
        return metrics;
    }
}
