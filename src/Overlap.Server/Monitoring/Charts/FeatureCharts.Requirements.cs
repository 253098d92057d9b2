using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Statements;

namespace Overlap.Server.Monitoring.Charts;

internal static partial class FeatureCharts
{
    /// <summary>
    /// Every requirement that fails or is unsettled over the range, in contract order, each with its metric per window
    /// and per segment; the same requirements, named the same way, as the alerts judge on the same days.
    /// </summary>
    public static RequirementView[] Requirements(Contract contract, MonitoringReport report, RangeReport range)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(range);
        if (range.Evaluation is not { } month)
        {
            return [];
        }
        var views = new List<RequirementView>();
        for (var i = 0; i < contract.Requirements.Count && i < month.Requirements.Count; i++)
        {
            var result = month.Requirements[i];
            if (
                result.Verdict is not (Verdict.Fail or Verdict.Inconclusive)
                || !month.Metrics.ContainsKey(result.Metric)
            )
            {
                continue;
            }
            var segment = result is { By: { } by, Segment: { } value }
                ? (Column: by, Value: value)
                : ((string Column, string Value)?)null;
            var metricName = Phrasing.Name(result.Metric);
            var series = segment is { } s ? $"{metricName} for {s.Column} = {s.Value}" : metricName;
            var bar = result.Min ?? result.Max;
            var points = segment is { } seg
                ? SegmentSeries(report, result.Metric, seg.Column, seg.Value)
                : KeyMetric(report, result.Metric);
            var segments = Segments(month, contract, result.Metric) is { } all
                ? all with
                {
                    Points = [.. all.Points.Where(p => result.By is null || p.Column == result.By)],
                }
                : null;
            views.Add(
                new RequirementView(
                    AlertRules.Name(contract.Requirements[i]),
                    result,
                    series,
                    bar,
                    points,
                    segments,
                    RequirementStatement(result, series, bar, month.Confidence, segments)
                )
            );
        }
        return [.. views];
    }

    /// <summary>One segment value's metric per window (realised only: the estimate is not split by segment).</summary>
    private static MetricPoint[] SegmentSeries(MonitoringReport report, string metric, string column, string value) =>
        [
            .. report.Windows.Select(w =>
            {
                var m = w
                    .Evaluation?.Segments.GetValueOrDefault(column)
                    ?.GetValueOrDefault(value)
                    ?.Metrics.GetValueOrDefault(metric);
                return new MetricPoint(
                    w.Start,
                    Finite(m?.Value),
                    Finite(m?.CiLow),
                    Finite(m?.CiHigh),
                    null,
                    null,
                    null
                );
            }),
        ];

    /// <summary>"Not met over the last 30 days: false_positive_rate 0.12 (…) above the bar 0.05. The chart …".</summary>
    private static string RequirementStatement(
        RequirementResult result,
        string series,
        double? bar,
        double confidence,
        SegmentChartData? segments
    )
    {
        var verdict =
            result.Verdict == Verdict.Fail ? "Not met over the last 30 days" : "Not settled over the last 30 days";
        var over = bar is { } b
            ? $"The first chart follows {series} in each window with its {Phrasing.Confidence(confidence)} interval; the red line is the contract's bar, {Phrasing.Number(b)}."
            : $"The first chart follows {series} in each window with its {Phrasing.Confidence(confidence)} interval.";
        var split = segments is { Points.Length: > 0 }
            ? " The second shows it for each segment over the 30 days, against each segment's bar."
            : " The contract names no segment to split it by.";
        var more = result.MoreExamplesNeeded is { } n
            ? string.Create(Invariant, $" About {n:#,0} more labelled examples would settle it, if the rate held.")
            : string.Empty;
        return $"{verdict}: {VerdictReason.Reason(result)}.{more} {over}{split}";
    }
}
