using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Statements;

namespace Overlap.Core.Evaluation;

/// <summary>
/// Judges each requirement of a contract on the figures of an evaluation, with DESIGN.md's rules: on the
/// interval, never the point; per segment for <c>by:</c> (any fail fails, else any inconclusive); a
/// <c>max_gap</c> as the interval of (overall point − segment) for metrics where higher is better and
/// (segment − overall point) where lower is better.
/// </summary>
internal static class RequirementJudge
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static RequirementResult Judge(
        Requirement requirement,
        Contract contract,
        IReadOnlyDictionary<string, MetricValue> overall,
        long overallN,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, SegmentResult>> segments
    )
    {
        var info = MetricCatalog.Find(requirement.Metric);
        var promise = Phrasing.Promise(requirement, contract.Words);
        var common = new RequirementResult
        {
            Metric = requirement.Metric,
            Min = requirement.Bound == Bound.Min ? requirement.Value : null,
            Max = requirement.Bound == Bound.Max ? requirement.Value : null,
            MaxGap = requirement.Bound == Bound.MaxGap ? requirement.Value : null,
            By = requirement.By,
            Verdict = Verdict.Skipped,
            Statement = string.Empty,
        };
        if (!overall.ContainsKey(requirement.Metric))
        {
            var reason =
                info?.OnUsers == true ? "judged on the feature's users over weeks of use, not on a window or a data set"
                : info?.OnWorkflow == true
                    ? "counted in production from the workflow the contract's guard logs with each call, not on an offline data set"
                : info?.ProductionOnly == true ? "judged in production, not on an offline data set"
                : "not measured on this data";
            return common with { Statement = $"{promise} {Phrasing.Capitalize(reason)}.", Reason = reason };
        }
        if (requirement.By is null)
        {
            var m = overall[requirement.Metric];
            var verdict = Evaluation.Judge.Interval(requirement.Bound, requirement.Value, m.CiLow, m.CiHigh);
            var more = verdict == Verdict.Inconclusive ? MoreExamples(m, overallN, requirement.Value) : null;
            var result = Phrasing.Result(
                requirement.Metric,
                m.Value,
                m.CiLow,
                m.CiHigh,
                contract.Confidence,
                contract.Words
            );
            return common with
            {
                Verdict = verdict,
                Value = Finite(m.Value),
                CiLow = Finite(m.CiLow),
                CiHigh = Finite(m.CiHigh),
                Reason =
                    double.IsNaN(m.Value) ? Phrasing.Undefined(requirement.Metric, contract.Words)
                    : double.IsNaN(m.CiLow) ? NoInterval
                    : null,
                MoreExamplesNeeded = more,
                Statement = Compose(
                    verdict,
                    promise,
                    double.IsNaN(m.Value) || !double.IsNaN(m.CiLow)
                        ? result
                        : $"{result} {Phrasing.Capitalize(NoInterval)}.",
                    more,
                    requirement,
                    contract,
                    null
                ),
            };
        }

        if (!segments.TryGetValue(requirement.By, out var groups) || groups.Count == 0)
        {
            return common with
            {
                Verdict = Verdict.Inconclusive,
                Statement = $"{promise} No example has a value for '{requirement.By}', so nothing can be judged yet.",
            };
        }
        var higherIsBetter = info?.HigherIsBetter != false;
        var perSegment = new List<SegmentVerdict>(groups.Count);
        (string Name, MetricValue Figure, double Value, double Low, double High, Verdict Verdict, long N)? decider =
            null;
        var point = overall[requirement.Metric].Value;
        foreach (var (name, group) in groups)
        {
            if (!group.Metrics.TryGetValue(requirement.Metric, out var m))
            {
                continue;
            }
            double value = m.Value,
                low = m.CiLow,
                high = m.CiHigh;
            if (requirement.Bound == Bound.MaxGap)
            {
                (value, low, high) = higherIsBetter
                    ? (point - m.Value, point - m.CiHigh, point - m.CiLow)
                    : (m.Value - point, m.CiLow - point, m.CiHigh - point);
            }
            var verdict = Evaluation.Judge.Interval(requirement.Bound, requirement.Value, low, high);
            perSegment.Add(new SegmentVerdict(name, verdict, value, low, high, m.N));
            var candidate = (name, m, value, low, high, verdict, group.N);
            if (decider is null || Worse(candidate, decider.Value, requirement.Bound))
            {
                decider = candidate;
            }
        }
        if (decider is not { } d)
        {
            return common with
            {
                Verdict = Verdict.Inconclusive,
                Statement = $"{promise} No segment has a figure for {Phrasing.Name(requirement.Metric)} yet.",
            };
        }
        var overallVerdict = Evaluation.Judge.Worst(perSegment.Select(s => s.Verdict));
        long? needed =
            overallVerdict == Verdict.Inconclusive
                ? MoreExamples(
                    d.Figure with
                    {
                        Value = d.Value,
                        CiLow = d.Low,
                        CiHigh = d.High,
                    },
                    d.N,
                    requirement.Value
                )
                : null;
        var where = $"{requirement.By} = {d.Name}";
        var figure =
            requirement.Bound == Bound.MaxGap
                ? Gap(requirement, info, d.Value, d.Low, d.High, d.Figure, point, where, contract)
                : Phrasing.Result(
                    requirement.Metric,
                    d.Figure.Value,
                    d.Figure.CiLow,
                    d.Figure.CiHigh,
                    contract.Confidence,
                    contract.Words,
                    where
                );
        return common with
        {
            Verdict = overallVerdict,
            Value = Finite(d.Value),
            CiLow = Finite(d.Low),
            CiHigh = Finite(d.High),
            Reason = double.IsNaN(d.Value)
                ? $"{where}: {Phrasing.Undefined(requirement.Metric, contract.Words)}"
                : null,
            Segment = d.Name,
            Segments = perSegment,
            MoreExamplesNeeded = needed,
            Statement = Compose(overallVerdict, promise, figure, needed, requirement, contract, where),
        };
    }

    /// <summary>Why a figure has a value but no interval: one example has no spread to resample.</summary>
    private const string NoInterval = "one example gives no interval, so the verdict waits for more";

    /// <summary>About how many more labelled examples of the group would settle the verdict, scaled from the metric's denominator.</summary>
    private static long? MoreExamples(MetricValue m, long groupN, double bar)
    {
        if (Evaluation.Judge.MoreNeeded(m.Value, m.CiLow, m.CiHigh, m.N, bar) is not { } more || m.N <= 0)
        {
            return null;
        }
        var share = groupN > 0 ? (double)m.N / groupN : 1;
        return share > 0 ? (long)Math.Ceiling(more / share) : null;
    }

    private static bool Worse(
        (string Name, MetricValue Figure, double Value, double Low, double High, Verdict Verdict, long N) a,
        (string Name, MetricValue Figure, double Value, double Low, double High, Verdict Verdict, long N) b,
        Bound bound
    )
    {
        static int Rank(Verdict v) =>
            v switch
            {
                Verdict.Fail => 2,
                Verdict.Inconclusive => 1,
                _ => 0,
            };
        if (Rank(a.Verdict) != Rank(b.Verdict))
        {
            return Rank(a.Verdict) > Rank(b.Verdict);
        }
        if (double.IsNaN(b.Value))
        {
            return !double.IsNaN(a.Value);
        }
        return bound == Bound.Min ? a.Value < b.Value : a.Value > b.Value;
    }

    private static string Gap(
        Requirement requirement,
        MetricInfo? info,
        double value,
        double low,
        double high,
        MetricValue segment,
        double overall,
        string where,
        Contract contract
    )
    {
        if (double.IsNaN(value))
        {
            return $"For {where}: {Phrasing.Undefined(requirement.Metric, contract.Words)}.";
        }
        var scale = info?.Bounded == true ? 100 : 1;
        var unit = info?.Bounded == true ? " points" : string.Empty;
        var name = Phrasing.Name(requirement.Metric);
        var ci = double.IsNaN(low)
            ? string.Empty
            : string.Create(
                Inv,
                $" ({Points(low * scale)} to {Points(high * scale)}{unit} at {Phrasing.Confidence(contract.Confidence)} confidence)"
            );
        // The gap is signed (positive = behind overall); a group ahead of overall is said to be ahead, never "-0.2 below".
        var behind = info?.HigherIsBetter == false ? "worse than" : "below";
        var ahead = info?.HigherIsBetter == false ? "better than" : "above";
        var direction = value >= 0 ? behind : ahead;
        var gapCi =
            ci.Length == 0 || value >= 0 ? ci : ci.Replace(" at ", $" {behind} overall at ", StringComparison.Ordinal);
        return string.Create(
            Inv,
            $"Widest gap: {where}, {name} {Phrasing.Number(segment.Value)} against {Phrasing.Number(overall)} overall, {Points(Math.Abs(value) * scale)}{unit} {direction} overall{gapCi}."
        );
    }

    private static string Compose(
        Verdict verdict,
        string promise,
        string figure,
        long? more,
        Requirement requirement,
        Contract contract,
        string? where
    )
    {
        var head = verdict switch
        {
            Verdict.Pass => "Met",
            Verdict.Fail => "Not met",
            _ => "Not settled yet",
        };
        var text = $"{head}: {promise} {figure}";
        if (more is { } m)
        {
            var group = where is null ? string.Empty : $" with {where}";
            // Latency and cost are measured on every prediction, labelled or not.
            var kind = MetricCatalog.Find(requirement.Metric)?.ProductionOnly == true ? "more" : "more labelled";
            // A user metric rests on new users; a generative figure rests on graded outputs, not labelled examples.
            var info = MetricCatalog.Find(requirement.Metric);
            var noun =
                info?.OnUsers == true ? "more new user"
                : contract.Task == TaskKind.Generative ? $"more graded {contract.Words.Output}"
                : $"{kind} {contract.Words.Example}";
            text += $" About {Phrasing.Count(m, noun)}{group} would settle it, if the rate holds.";
        }
        return text;
    }

    private static string Points(double value) => Math.Round(value, 1).ToString("0.#", Inv);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
