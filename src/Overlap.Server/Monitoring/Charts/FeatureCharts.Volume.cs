using Overlap.Core.Monitoring;
using Overlap.Core.Statements;

namespace Overlap.Server.Monitoring.Charts;

internal static partial class FeatureCharts
{
    /// <summary>The metric per window, realised (labelled) and estimated (every score), each with its interval; null where missing.</summary>
    public static MetricPoint[] KeyMetric(MonitoringReport report, string metric)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            .. report.Windows.Select(w =>
            {
                var r = w.Evaluation?.Metrics.GetValueOrDefault(metric);
                var e = w.Estimated?.Metrics.GetValueOrDefault(metric);
                return new MetricPoint(
                    w.Start,
                    Finite(r?.Value),
                    Finite(r?.CiLow),
                    Finite(r?.CiHigh),
                    Finite(e?.Value),
                    Finite(e?.CiLow),
                    Finite(e?.CiHigh)
                );
            }),
        ];
    }

    /// <summary>Each window's volume, latency percentiles, call cost and cost of mistakes, oldest first.</summary>
    public static WindowPoint[] Windows(MonitoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            .. report.Windows.Select(w => new WindowPoint(
                w.Start,
                w.Predictions,
                w.Labelled,
                Finite(w.LatencyMs?.P50),
                Finite(w.LatencyMs?.P95),
                Finite(w.LatencyMs?.P99),
                Finite(w.CostTotal),
                Finite(w.Evaluation?.Cost?.CostPer1000)
            )),
        ];
    }

    /// <summary>The key metric over the range: realised on the labelled predictions and estimated from every score, each with its interval.</summary>
    public static string KeyMetricStatement(RangeReport range, string metric)
    {
        ArgumentNullException.ThrowIfNull(range);
        var name = Phrasing.Capitalize(Phrasing.Name(metric));
        var realised =
            range.Evaluation?.Metrics.GetValueOrDefault(metric) is { } r && double.IsFinite(r.Value)
                ? $"{name} over the last 30 days is {Figure(r.Value, Finite(r.CiLow), Finite(r.CiHigh))} on the {Count(range.Labelled)} labelled predictions"
                : $"{name} has no labelled predictions to rest on yet";
        var estimated =
            range.Estimated?.Metrics.GetValueOrDefault(metric) is { } e && double.IsFinite(e.Value)
                ? $"; estimated from all {Count(range.Predictions)} predictions' scores, {Figure(e.Value, Finite(e.CiLow), Finite(e.CiHigh))}."
                : ".";
        return realised + estimated + EstimateMissed(range, metric);
    }

    /// <summary>
    /// When the 30 days' realised interval excludes the 30 days' estimate, the estimate has stopped describing this
    /// feature: said beside the two figures, so a reader never takes the estimate for the truth.
    /// </summary>
    private static string EstimateMissed(RangeReport range, string metric)
    {
        if (
            range.Evaluation?.Metrics.GetValueOrDefault(metric) is not { } r
            || range.Estimated?.Metrics.GetValueOrDefault(metric) is not { } e
            || !double.IsFinite(r.Value)
            || !double.IsFinite(e.Value)
            || !double.IsFinite(r.CiLow)
            || !double.IsFinite(r.CiHigh)
            || (e.Value >= r.CiLow && e.Value <= r.CiHigh)
        )
        {
            return string.Empty;
        }
        var side = e.Value < r.CiLow ? "below" : "above";
        return string.Create(
            Invariant,
            $" The estimate is {Math.Abs(e.Value - r.Value):0.000} {side} the realised figure, outside its interval: it does not describe these predictions any more, so trust the realised figure and recalibrate the estimate on recent labels."
        );
    }

    /// <summary>How many predictions came and how fast they were answered, over the range and at the slowest window.</summary>
    public static string VolumeStatement(RangeReport range, IReadOnlyList<WindowPoint> windows)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(windows);
        if (range.Predictions == 0)
        {
            return "No predictions in the last 30 days.";
        }
        var volume =
            $"{Count(range.Predictions)} predictions in the last 30 days, {Count(range.Labelled)} of them with a label so far.";
        if (range.LatencyMs is not { } latency)
        {
            return volume + " No prediction sent its latency.";
        }
        var speed = $"{volume} Half were answered within {Ms(latency.P50)} and 95% within {Ms(latency.P95)}";
        return
            windows.Where(w => w.LatencyP95 is not null).MaxBy(w => w.LatencyP95!.Value)
                is { LatencyP95: { } p95 } slowest
            ? $"{speed}; the slowest window, {When(slowest.Start)}, had a 95th percentile of {Ms(p95)}."
            : speed + ".";
    }

    /// <summary>What the model's calls cost, and what its mistakes cost per 1,000 decisions, over the range.</summary>
    public static string CostStatement(RangeReport range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var calls = range.CostTotal is { } total
            ? $"The model's calls cost {Money(total)} in all ({range.CostMean?.ToString("0.####", Invariant)} a call, in the unit the application sends)."
            : "No prediction sent what its call cost.";
        var mistakes = range.Evaluation?.Cost is { } cost
            ? $" Its mistakes on the labelled predictions cost {Money(cost.CostPer1000)} {cost.Currency} per 1,000 decisions."
            : " No labelled predictions yet, so no cost of mistakes.";
        return calls + mistakes;
    }
}
