using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Server.Monitoring.Charts;

internal static partial class FeatureCharts
{
    /// <summary>
    /// The metric for every segment value of an evaluation, against its figure over everything. A segment misses the
    /// contract's bar when the column's own <c>by:</c> requirement on the metric judged it a fail (min, max or
    /// max_gap, exactly as the evaluation did); a column without one is held to the metric's overall bar, with the
    /// same rule (the whole interval on the wrong side). Null when the evaluation has no such metric.
    /// </summary>
    public static SegmentChartData? Segments(EvaluationReport evaluation, Contract contract, string metric)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(contract);
        if (!evaluation.Metrics.TryGetValue(metric, out var all))
        {
            return null;
        }
        var higherIsBetter = MetricCatalog.Find(metric)?.HigherIsBetter ?? true;
        var overall = contract.Requirements.FirstOrDefault(r =>
            r.Metric == metric && r.By is null && r.Bound != Bound.MaxGap
        );
        var points = new List<SegmentPoint>();
        foreach (var (column, values) in evaluation.Segments)
        {
            var judged = evaluation.Requirements.FirstOrDefault(r =>
                r.Metric == metric && r.By == column && r.Segments is not null
            );
            var bar = judged switch
            {
                { MaxGap: { } gap } when double.IsFinite(all.Value) => higherIsBetter
                    ? all.Value - gap
                    : all.Value + gap,
                { Min: { } min } => min,
                { Max: { } max } => max,
                null => overall?.Value,
                _ => null,
            };
            foreach (var (value, segment) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                var m = segment.Metrics.TryGetValue(metric, out var found)
                    ? found
                    : new MetricValue(double.NaN, double.NaN, double.NaN, 0);
                var misses = judged is not null
                    ? judged.Segments!.Any(s => s.Segment == value && s.Verdict == Verdict.Fail)
                    : overall is not null
                        && Judge.Interval(overall.Bound, overall.Value, m.CiLow, m.CiHigh) == Verdict.Fail;
                points.Add(
                    new SegmentPoint(
                        column,
                        value,
                        segment.N,
                        Finite(m.Value),
                        Finite(m.CiLow),
                        Finite(m.CiHigh),
                        bar,
                        misses
                    )
                );
            }
        }
        return new SegmentChartData(
            metric,
            Finite(all.Value),
            Finite(all.CiLow),
            Finite(all.CiHigh),
            [.. points],
            evaluation.Confidence
        );
    }

    /// <summary>The metric overall with its interval, and which segments miss the contract's bar, in numbers.</summary>
    public static string SegmentStatement(SegmentChartData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var name = Phrasing.Capitalize(Phrasing.Name(data.Metric));
        var overall = data.All is { } a
            ? $"{name} over every labelled prediction is {Figure(a, data.AllLow, data.AllHigh)}."
            : $"{name} is not defined over the labelled predictions yet.";
        if (data.Points.Length == 0)
        {
            return overall + " The contract names no segments.";
        }
        var unnamed = string.Concat(
            data.Points.Where(p => p.Value == SegmentResult.Missing)
                .Select(p => $" {Count(p.N)} labelled predictions have no {p.Column}; they are the group {p.Label}.")
        );
        var missing = data.Points.Where(p => p.MissesBar).ToList();
        if (missing.Count == 0)
        {
            return $"{overall} No segment's interval lies wholly on the wrong side of the contract's bar.{unnamed}";
        }
        var list = string.Join(
            "; ",
            missing.Select(p =>
                $"{p.Label} at {Figure(p.Figure ?? double.NaN, p.Low, p.High)} against a bar of {Phrasing.Number(p.Bar ?? double.NaN)}"
            )
        );
        return $"{overall} {missing.Count} segment{(missing.Count == 1 ? " misses" : "s miss")} the contract's bar with {(missing.Count == 1 ? "its" : "their")} whole interval: {list}.{unnamed}";
    }

    /// <summary>"0.812 (0.771 to 0.848)".</summary>
    private static string Figure(double value, double? low, double? high) =>
        low is { } l && high is { } h
            ? string.Create(Invariant, $"{value:0.000} ({l:0.000} to {h:0.000})")
            : value.ToString("0.000", Invariant);
}
