using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Planning;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Experiments;

/// <summary>An experiment's decision and figures in plain words, from the contract's words.</summary>
public static partial class ExperimentStatements
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The decision in one paragraph: what to do, and the figures that decided it.</summary>
    public static string Decision(ExperimentReport report, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(contract);
        if (report.Shadow is not null)
        {
            return ShadowDecision(report, contract);
        }
        var level = Level(report);
        switch (report.Decision)
        {
            case ExperimentDecision.Stop:
                var split = report.Split!;
                return $"Stop: the split is {Shares(split.Observed)} where {Shares(split.Planned)} was planned "
                    + $"({Phrasing.PValue(split.PValue)}); something assigns or logs arms wrongly, and no comparison "
                    + "can be trusted until it is found.";
            case ExperimentDecision.Rollout:
                return $"Roll out {report.Treatment}: {Better(report, level)}{Guards(report)}{Size(report, contract)}."
                    + LeftBehind(report);
            case ExperimentDecision.Rollback when report.Reasons.SequenceEqual(["max_duration"]):
                return TimedOut(report, level);
            case ExperimentDecision.Rollback:
                return $"Roll back {report.Treatment}: {Causes(report, level)}; keep {report.Control}.";
            default:
                return Running(report, contract, "Keep running");
        }
    }

    /// <summary>
    /// " But for channel = app, recall is 15 points lower (…)": the segments where a primary metric is worse or a
    /// guardrail beyond its margin, at always-valid confidence, so a rollout does not hide a group left behind.
    /// </summary>
    private static string LeftBehind(ExperimentReport report)
    {
        var worse = report
            .Segments.SelectMany(s =>
                s.Primary.Where(f => f.Verdict == FigureVerdict.Worse)
                    .Concat(s.Guardrails.Where(f => f.Verdict == FigureVerdict.BeyondMargin))
                    .Select(f => $"for {s.Attribute} = {s.Value}, {Change(f, "always-valid")}")
            )
            .ToList();
        return worse.Count == 0
            ? string.Empty
            : $" But {string.Join("; ", worse)}: look at {(worse.Count == 1 ? "that group" : "those groups")} before rolling out to everyone.";
    }

    /// <summary>The level of the intervals a decision reads: "always-valid 95%".</summary>
    private static string Level(ExperimentReport report) => $"always-valid {Phrasing.Confidence(report.Confidence)}";

    /// <summary>Every primary metric's change at <paramref name="level"/>.</summary>
    private static string Better(ExperimentReport report, string level) =>
        string.Join("; ", report.Primary.Select(p => Change(p, level)));

    /// <summary>
    /// The rollback when time ran out, naming what was not shown: the primary metrics not shown to be better, or, when
    /// every one is, the guardrails not shown to stay inside their margins.
    /// </summary>
    private static string TimedOut(ExperimentReport report, string level)
    {
        var days = Days(report.Elapsed.TotalDays);
        if (report.Primary.All(p => p.Verdict == FigureVerdict.Better))
        {
            var unclear = report
                .Guardrails.Where(g => g.Verdict != FigureVerdict.WithinMargin)
                .Select(g =>
                    $"{Change(g, level)}, not shown to be inside the {Amount(g.Metric, g.Metric.Margin!.Value)} margin"
                );
            return $"Roll back {report.Treatment}: it is better ({Better(report, level)}), but after {days} not every "
                + $"guardrail was shown to hold ({string.Join("; ", unclear)}); keep {report.Control}.";
        }
        var unsettled = report.Primary.Where(p => p.Verdict != FigureVerdict.Better).Select(p => Change(p, level));
        return $"Roll back {report.Treatment}: after {days} it was not shown to be better "
            + $"({string.Join("; ", unsettled)}); keep {report.Control}.";
    }

    /// <summary>"; no guardrail is worse than its margin (…)", or nothing without guardrails.</summary>
    private static string Guards(ExperimentReport report) =>
        report.Guardrails.Count == 0
            ? string.Empty
            : "; no guardrail is worse than its margin ("
                + string.Join(
                    "; ",
                    report.Guardrails.Select(g =>
                        Change(g, null) + $", inside the {Amount(g.Metric, g.Metric.Margin!.Value)} margin"
                    )
                )
                + ")";

    /// <summary>What made a rollback: the guardrails beyond their margin and the primary metrics that are worse.</summary>
    private static string Causes(ExperimentReport report, string level) =>
        string.Join(
            "; ",
            report
                .Guardrails.Where(g => g.Verdict == FigureVerdict.BeyondMargin)
                .Select(g => Change(g, level) + $", beyond the {Amount(g.Metric, g.Metric.Margin!.Value)} guardrail")
                .Concat(report.Primary.Where(p => p.Verdict == FigureVerdict.Worse).Select(p => Change(p, level)))
        );

    /// <summary>
    /// One figure: "recall is 4 points higher (+1 to +7 points, always-valid 95%)", or without a level the
    /// fixed-horizon form "false positive rate −0.3 points (−0.9 to +0.2 points)".
    /// </summary>
    public static string Change(ExperimentFigure figure, string? level)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var d = figure.Difference;
        var name = figure.Metric.Metric is { } metric ? Phrasing.Name(metric) : figure.Metric.Business!;
        if (double.IsNaN(d.Estimate))
        {
            return $"{name} has no figure in one arm yet";
        }
        var range = Range(figure.Metric, level is null ? d.FixedHorizon : d.AlwaysValid);
        if (level is null)
        {
            return $"{name} {Difference(figure.Metric, d.Estimate)} ({range})";
        }
        var direction = d.Estimate >= 0 ? "higher" : "lower";
        return $"{name} is {Amount(figure.Metric, Math.Abs(d.Estimate))} {direction} ({range}, {level})";
    }

    /// <summary>One arm's figure in the metric's units: "80.1%" for a rate, "95 ms" for a latency; "no figure yet" when unknown.</summary>
    public static string Figure(ExperimentMetric metric, double value)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return double.IsNaN(value) ? "no figure yet"
            : IsRate(metric) ? Phrasing.Number(value * 100) + "%"
            : Phrasing.Number(value) + Unit(metric);
    }

    /// <summary>A difference (treatment − control) in the metric's units, signed: "+4 points", "−12 ms"; "no figure yet" when unknown.</summary>
    public static string Difference(ExperimentMetric metric, double value)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return double.IsNaN(value) ? "no figure yet" : Signed(metric, value) + Unit(metric);
    }

    /// <summary>An interval of a difference: "+1 to +7 points"; "no interval yet" when unknown.</summary>
    public static string Range(ExperimentMetric metric, Interval interval)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return interval.IsKnown
            ? $"{Signed(metric, interval.Low)} to {Signed(metric, interval.High)}{Unit(metric)}"
            : "no interval yet";
    }

    /// <summary>
    /// What a difference is drawn in: hundredths for a rate (a figure × 100, in points), the metric's own unit otherwise;
    /// the unit's name ("points", "ms", or empty).
    /// </summary>
    public static (double Scale, string Unit) Scale(ExperimentMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return (IsRate(metric) ? 100 : 1, Unit(metric).Trim());
    }

    /// <summary>
    /// The split check in words: "The split is 51/49 where 50/50 was planned (p = 0.43): as close as chance allows, so
    /// the arms can be compared." or why no comparison can be trusted.
    /// </summary>
    public static string Split(SplitCheck split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Observed.All(o => o == 0))
        {
            return $"No unit has reached either arm yet; the split check compares the arms' counts with the planned {Shares(split.Planned)} once they do.";
        }
        var found =
            $"The split is {Shares(split.Observed)} where {Shares(split.Planned)} was planned ({Phrasing.PValue(split.PValue)})";
        return split.Mismatch
            ? $"{found}: further from the plan than chance allows (the check fails below p = {SampleRatio.Alpha.ToString("0.###", Invariant)}), so something assigns or logs arms wrongly and no comparison can be trusted until it is found."
            : $"{found}: as close as chance allows (the check fails only below p = {SampleRatio.Alpha.ToString("0.###", Invariant)}), so the arms can be compared.";
    }

    /// <summary>What a figure's verdict means, in one sentence: better or worse, inside or beyond its margin, or what it still needs.</summary>
    public static string Meaning(ExperimentFigure figure, bool primary)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var metric = figure.Metric;
        var margin = metric.Margin is { } m ? Amount(metric, m) : null;
        var better = metric.HigherIsBetter ? "above" : "below";
        var worse = metric.HigherIsBetter ? "below" : "above";
        return figure.Verdict switch
        {
            FigureVerdict.NotEnoughData when double.IsNaN(figure.Difference.Estimate) =>
                $"No figure yet: an arm has nothing to measure it on (it needs {Counted(metric)}).",
            FigureVerdict.NotEnoughData =>
                $"Not enough data yet: an always-valid verdict needs {ConfidenceSequence.MinimumPerArm} {Counted(metric)} in each arm.",
            FigureVerdict.Better => $"Better: the always-valid interval lies wholly {better} zero.",
            FigureVerdict.Worse => $"Worse: the always-valid interval lies wholly {worse} zero.",
            FigureVerdict.WithinMargin => $"Inside the {margin} margin: the always-valid interval stays short of it.",
            FigureVerdict.BeyondMargin =>
                $"Beyond the {margin} margin: the always-valid interval lies wholly past it on the worse side.",
            _ when primary => "Not decided yet: the always-valid interval still reaches both sides of zero.",
            _ => $"Not decided yet: the always-valid interval still reaches past the {margin} margin.",
        };
    }

    /// <summary>
    /// The plan in words: what each arm needs for the planned power, how long the experiment has run, and the days left
    /// at today's traffic.
    /// </summary>
    public static string Plan(ExperimentReport report, ExperimentSpec spec, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(contract);
        var first = spec.Primary[0];
        var basis =
            first.Metric is { } m && MetricCatalog.Find(m)?.Basis is { } b ? Planner.Noun(b, contract.Words) : "units";
        var elapsed = report.Elapsed.TotalDays;
        var ran =
            $"It has run {(elapsed < 1 ? "less than a day" : Days(elapsed))} of at most {Days(spec.MaxDuration.TotalDays)}.";
        if (report.NeededPerArm is not { } needed)
        {
            return $"{ran} No sample size yet: it is planned from the control arm's {first.Name} once it has a figure (a latency quantile is never planned).";
        }
        var effect = first.MinEffect is { } e
            ? $" {Amount(first, e)} {(first.HigherIsBetter ? "better" : "lower")}"
            : string.Empty;
        var days =
            report.Decision != ExperimentDecision.Running
                ? " The decision came at always-valid confidence before that, so there is no need to wait for it."
            : report.DaysLeft is { } left
                ? left <= 0 ? " Both arms have reached it."
                    : $" At today's traffic that takes about {Days(left)} more."
            : string.Empty;
        return $"{ran} Each arm needs {needed.ToString("#,0", Invariant)} {basis} to detect {Phrasing.Name(first.Name)}{effect} with {Phrasing.Percent(spec.Power)} power.{days}";
    }

    /// <summary>What a metric's verdict counts in each arm, in words.</summary>
    private static string Counted(ExperimentMetric metric) =>
        metric.Business is not null ? "units"
        : IsRate(metric) ? "labelled predictions whose labels had time to arrive"
        : metric.Metric is { } m && MetricCatalog.Find(m)?.LatencyQuantile is not null ? "latencies"
        : "costs";

    /// <summary>"{what}: about N more days …; why it is not decided yet."</summary>
    private static string Running(ExperimentReport report, Contract contract, string what)
    {
        var waiting = report
            .Primary.Concat(report.Guardrails)
            .Where(f => f.Verdict == FigureVerdict.NotEnoughData)
            .ToList();
        var days = report.DaysLeft is { } left ? $" about {Days(left)} more at today's traffic" : string.Empty;
        var basis =
            report.Primary[0].Metric.Metric is { } m && MetricCatalog.Find(m)?.Basis is { } b
                ? Planner.Noun(b, contract.Words)
                : "units";
        var plan = report.NeededPerArm is { } needed
            ? $" ({needed.ToString("#,0", Invariant)} {basis} per arm are needed to detect the smallest effect worth detecting)"
            : string.Empty;
        var why =
            waiting.Count > 0
                ? $"an arm has fewer than {ConfidenceSequence.MinimumPerArm} for {string.Join(", ", waiting.Select(w => w.Metric.Metric is { } m ? Phrasing.Name(m) : w.Metric.Name))}"
                : "no metric is decided yet at always-valid confidence";
        var known = days + plan;
        return known.Length == 0 ? $"{what}: {why}." : $"{what}:{known}; {why}.";
    }

    private static string Size(ExperimentReport report, Contract contract)
    {
        if (report.Primary[0].Metric.Metric is not { } m || MetricCatalog.Find(m)?.Basis is not { } basis)
        {
            return string.Empty;
        }
        return report.NeededPerArm is null
            ? string.Empty
            : $"; planned for {report.NeededPerArm.Value.ToString("#,0", Invariant)} {Planner.Noun(basis, contract.Words)} per arm";
    }

    /// <summary>A size in the metric's units: "4 points", "85 ms", "3.5".</summary>
    private static string Amount(ExperimentMetric metric, double value)
    {
        var text = Phrasing.Number(IsRate(metric) ? value * 100 : value);
        return IsRate(metric) && text == "1" ? "1 point" : text + Unit(metric);
    }

    /// <summary>The unit after a number: " points" for a rate, " ms" for a latency, nothing otherwise.</summary>
    private static string Unit(ExperimentMetric metric) =>
        IsRate(metric) ? " points"
        : metric.Metric is { } m && MetricCatalog.Find(m)?.Unit is { } unit ? " " + unit
        : string.Empty;

    private static bool IsRate(ExperimentMetric metric) =>
        metric.Metric is { } m && MetricCatalog.Find(m)?.IsProportion == true;

    /// <summary>A signed number in the metric's scale, without its unit: "+4", "−0.3".</summary>
    private static string Signed(ExperimentMetric metric, double value) =>
        (
            value > 0 ? "+"
            : value < 0 ? "−"
            : string.Empty
        ) + Phrasing.Number(Math.Abs(IsRate(metric) ? value * 100 : value));

    private static string Shares(IReadOnlyList<double> shares) =>
        string.Join("/", shares.Select(s => Math.Round(s * 100).ToString("0", Invariant)));

    private static string Days(double days) =>
        days < 1.5 ? "a day" : $"{Math.Round(days).ToString("0", Invariant)} days";
}
