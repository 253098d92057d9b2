using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Planning;
using Overlap.Core.Statements;

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
                return $"Roll out {report.Treatment}: {Better(report, level)}{Guards(report)}{Size(report, contract)}.";
            case ExperimentDecision.Rollback when report.Reasons.SequenceEqual(["max_duration"]):
                return $"Roll back {report.Treatment}: after {Days(report.Elapsed.TotalDays)} it was not shown to be "
                    + $"better ({Better(report, level)}); keep {report.Control}.";
            case ExperimentDecision.Rollback:
                return $"Roll back {report.Treatment}: {Causes(report, level)}; keep {report.Control}.";
            default:
                return Running(report, contract, "Keep running");
        }
    }

    /// <summary>The level of the intervals a decision reads: "always-valid 95%".</summary>
    private static string Level(ExperimentReport report) => $"always-valid {Phrasing.Confidence(report.Confidence)}";

    /// <summary>Every primary metric's change at <paramref name="level"/>.</summary>
    private static string Better(ExperimentReport report, string level) =>
        string.Join("; ", report.Primary.Select(p => Change(p, level)));

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
        var interval = level is null ? d.FixedHorizon : d.AlwaysValid;
        var unit = Unit(figure.Metric);
        var range = interval.IsKnown
            ? $"{Signed(figure.Metric, interval.Low)} to {Signed(figure.Metric, interval.High)}{unit}"
            : "no interval yet";
        if (level is null)
        {
            return $"{name} {Signed(figure.Metric, d.Estimate)}{unit} ({range})";
        }
        var direction = d.Estimate >= 0 ? "higher" : "lower";
        return $"{name} is {Amount(figure.Metric, Math.Abs(d.Estimate))} {direction} ({range}, {level})";
    }

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
