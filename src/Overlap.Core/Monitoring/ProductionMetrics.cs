using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Statistics;

namespace Overlap.Core.Monitoring;

/// <summary>
/// The metrics only production carries, measured over every prediction of a window: latency p50, p95 and p99 (numpy's
/// linear percentile) with distribution-free order-statistic intervals (<see cref="QuantileInterval"/>).
/// </summary>
internal static class ProductionMetrics
{
    /// <summary>The latency metrics of <paramref name="sortedLatencies"/> (ascending, no NaN); none when empty.</summary>
    public static IReadOnlyDictionary<string, MetricValue> Latency(
        ReadOnlySpan<double> sortedLatencies,
        double confidence
    )
    {
        var metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        if (sortedLatencies.IsEmpty)
        {
            return metrics;
        }
        foreach (var (name, q) in Percentiles)
        {
            var interval = QuantileInterval.OrderStatistic(sortedLatencies, q, confidence);
            metrics[name] = new MetricValue(
                Bootstrap.Quantile(sortedLatencies, q),
                interval.Low,
                interval.High,
                sortedLatencies.Length
            );
        }
        return metrics;
    }

    /// <summary>The latency metrics of a merged sketch: percentiles and order-statistic intervals within its relative accuracy; none when empty.</summary>
    public static IReadOnlyDictionary<string, MetricValue> Latency(QuantileSketch sketch, double confidence)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        var metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        if (sketch.Count == 0)
        {
            return metrics;
        }
        foreach (var (name, q) in Percentiles)
        {
            var interval = sketch.OrderStatisticInterval(q, confidence);
            metrics[name] = new MetricValue(sketch.Quantile(q), interval.Low, interval.High, sketch.Count);
        }
        return metrics;
    }

    /// <summary>
    /// The production metrics the caller measured (<paramref name="given"/>: a window's workflow rates) with
    /// <paramref name="measured"/> (the latency metrics) added.
    /// </summary>
    public static IReadOnlyDictionary<string, MetricValue> With(
        IReadOnlyDictionary<string, MetricValue>? given,
        IReadOnlyDictionary<string, MetricValue> measured
    )
    {
        if (given is not { Count: > 0 })
        {
            return measured;
        }
        var all = new Dictionary<string, MetricValue>(given, StringComparer.Ordinal);
        foreach (var (name, value) in measured)
        {
            all[name] = value;
        }
        return all;
    }

    private static readonly (string Name, double Q)[] Percentiles =
    [
        .. MetricCatalog.All.Where(m => m.LatencyQuantile is not null).Select(m => (m.Name, m.LatencyQuantile!.Value)),
    ];
}
