using MathNet.Numerics.Distributions;
using Overlap.Core.Contracts;
using Overlap.Core.Metrics;
using Overlap.Core.Planning;
using Overlap.Core.Statistics;

namespace Overlap.Core.Experiments;

/// <summary>What one arm of an experiment has gathered so far.</summary>
public sealed record ArmSample
{
    /// <summary>The arm's model version.</summary>
    public required string Version { get; init; }

    /// <summary>The units assigned to it (for the split check).</summary>
    public long Units { get; init; }

    /// <summary>The labelled predictions whose labels had time to arrive, as a confusion matrix (binary features).</summary>
    public Confusion Labelled { get; init; }

    /// <summary>The latencies sent, in milliseconds, in any order.</summary>
    public IReadOnlyList<double> LatencyMs { get; init; } = [];

    /// <summary>The costs sent per prediction: their sum, sum of squares and count.</summary>
    public Moments Cost { get; init; }

    /// <summary>Per business event: its value per unit (sum, sum of squares, count of units).</summary>
    public IReadOnlyDictionary<string, Moments> Business { get; init; } = new Dictionary<string, Moments>();
}

/// <summary>The sum, sum of squares and count of some values: enough for their mean and sample variance.</summary>
public readonly record struct Moments(double Sum, double SumOfSquares, long Count)
{
    /// <summary>The mean; NaN without values.</summary>
    public double Mean => Count > 0 ? Sum / Count : double.NaN;

    /// <summary>The sample variance (n − 1); NaN with fewer than two values.</summary>
    public double Variance => Count > 1 ? Math.Max(0, (SumOfSquares - (Sum * Sum / Count)) / (Count - 1)) : double.NaN;

    /// <summary>The moments of <paramref name="values"/>.</summary>
    public static Moments Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (sum, squares, count) = (0.0, 0.0, 0L);
        foreach (var v in values)
        {
            (sum, squares, count) = (sum + v, squares + (v * v), count + 1);
        }
        return new Moments(sum, squares, count);
    }
}

/// <summary>Which metrics an experiment can compare between arms, and how.</summary>
public static class ExperimentMetrics
{
    /// <summary>
    /// Whether <paramref name="info"/> can be compared between arms: a rate (recall, false_positive_rate…), a latency
    /// quantile, or cost_per_1000. Metrics of scores as a whole (ROC AUC, Brier), of users over weeks (activation) and
    /// of the guard's workflow traces (retry, fallback rates) are not compared yet.
    /// </summary>
    public static bool Comparable(MetricInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return (info.IsProportion && !info.OnUsers && !info.OnWorkflow)
            || info.LatencyQuantile is not null
            || info.Name == CostPer1000;
    }

    /// <summary>The cost metric's name.</summary>
    public const string CostPer1000 = "cost_per_1000";
}

/// <summary>
/// Judges an experiment from its two arms: the split check, each primary metric and guardrail as a difference with its
/// fixed-horizon and always-valid intervals, the plan (units needed per arm, days left at today's traffic) and the
/// decision with its reasons in words (see docs/experiments.md).
/// </summary>
public static partial class ExperimentAnalysis
{
    /// <summary>Analyses <paramref name="spec"/> of <paramref name="contract"/> after <paramref name="elapsed"/> of running.</summary>
    public static ExperimentReport Analyze(
        Contract contract,
        ExperimentSpec spec,
        ArmSample control,
        ArmSample treatment,
        TimeSpan elapsed
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(treatment);
        var split = spec.Shadow ? null : SampleRatio.Check([control.Units, treatment.Units], spec.Split);
        return Report(contract, spec, control, treatment, elapsed, split, (m, primary) =>
            Figure(m, control, treatment, contract.Confidence, primary)
        );
    }

    /// <summary>The report from each metric's figure: the plan, days left and the decision.</summary>
    private static ExperimentReport Report(
        Contract contract,
        ExperimentSpec spec,
        ArmSample control,
        ArmSample treatment,
        TimeSpan elapsed,
        SplitCheck? split,
        Func<ExperimentMetric, bool, ExperimentFigure> figure
    )
    {
        var confidence = contract.Confidence;
        var primary = spec.Primary.Select(m => figure(m, true)).ToList();
        var guardrails = spec.Guardrails.Select(m => figure(m, false)).ToList();
        var plans = spec
            .Primary.Select(m => Plan(m, control, treatment, confidence, spec.Power))
            .Where(p => p is not null)
            .Select(p => p!.Value)
            .ToList();
        long? needed = plans.Count == 0 ? null : plans.Max(p => p.Needed);
        long? have = plans.Count == 0 ? null : plans.Min(p => p.Have);
        double? daysLeft = null;
        if (needed is { } n && have is { } h && elapsed.TotalDays > 0 && h > 0)
        {
            daysLeft = Math.Max(0, (n - h) / (h / elapsed.TotalDays));
        }
        var (decision, reasons) = Decide(spec, split, primary, guardrails, elapsed);
        return new ExperimentReport
        {
            Experiment = spec.Name,
            Control = control.Version,
            Treatment = treatment.Version,
            Confidence = confidence,
            Split = split,
            Primary = primary,
            Guardrails = guardrails,
            NeededPerArm = needed,
            DaysLeft = daysLeft,
            Elapsed = elapsed,
            Decision = decision,
            Reasons = reasons,
        };
    }

    private static ExperimentFigure Figure(
        ExperimentMetric metric,
        ArmSample control,
        ArmSample treatment,
        double confidence,
        bool primary
    )
    {
        var difference = Difference(metric, control, treatment, confidence, Scale(metric));
        return Judge(metric, difference, Enough(metric, control, treatment), primary);
    }

    /// <summary>The figure of a difference: its verdict at always-valid confidence, or not enough data.</summary>
    private static ExperimentFigure Judge(ExperimentMetric metric, ArmDifference difference, bool enough, bool primary)
    {
        var verdict =
            !enough || !difference.AlwaysValid.IsKnown ? FigureVerdict.NotEnoughData
            : primary ? PrimaryVerdict(metric, difference)
            : GuardrailVerdict(metric, difference);
        return new ExperimentFigure(metric, difference, verdict);
    }

    /// <summary>The metric's min_effect or margin: the scale of its mixture τ.</summary>
    private static double Scale(ExperimentMetric metric) => metric.MinEffect ?? metric.Margin ?? 0;

    /// <summary>τ of a rate: its min_effect or margin, or one point when that is 0.</summary>
    private static double RateMixture(double scale) => scale > 0 ? scale : 0.01;

    private static ArmDifference Difference(
        ExperimentMetric metric,
        ArmSample control,
        ArmSample treatment,
        double confidence,
        double scale
    )
    {
        if (metric.Business is { } business)
        {
            var (t, c) = (treatment.Business.GetValueOrDefault(business), control.Business.GetValueOrDefault(business));
            return ArmDifference.OfMeans(
                (t.Mean, t.Variance, t.Count),
                (c.Mean, c.Variance, c.Count),
                confidence,
                Mixture(scale, c.Mean)
            );
        }
        var info = MetricCatalog.Find(metric.Metric!)!;
        if (info.IsProportion)
        {
            var (t, c) = (treatment.Labelled.Rate(info.Name), control.Labelled.Rate(info.Name));
            return ArmDifference.OfProportions(
                t?.Successes ?? 0,
                t?.Trials ?? 0,
                c?.Successes ?? 0,
                c?.Trials ?? 0,
                confidence,
                RateMixture(scale)
            );
        }
        if (info.LatencyQuantile is { } q)
        {
            return OfQuantiles(control.LatencyMs, treatment.LatencyMs, q, confidence, scale);
        }
        // cost_per_1000: the mean cost per prediction, times 1,000.
        var (tc, cc) = (treatment.Cost, control.Cost);
        return ArmDifference.OfMeans(
            (tc.Mean * 1000, tc.Variance * 1e6, tc.Count),
            (cc.Mean * 1000, cc.Variance * 1e6, cc.Count),
            confidence,
            Mixture(scale, cc.Mean * 1000)
        );
    }

    /// <summary>
    /// A latency quantile: each arm's order-statistic interval, their MOVER difference for the fixed horizon, and the
    /// variance that interval implies ((width / 2z)²) for the always-valid one.
    /// </summary>
    private static ArmDifference OfQuantiles(
        IReadOnlyList<double> control,
        IReadOnlyList<double> treatment,
        double q,
        double confidence,
        double scale
    )
    {
        var (c, t) = (Sorted(control), Sorted(treatment));
        if (c.Length < 2 || t.Length < 2)
        {
            return new ArmDifference(Quantile(c, q), Quantile(t, q), Interval.Unknown, Interval.Unknown);
        }
        var (qc, qt) = (Bootstrap.Quantile(c, q), Bootstrap.Quantile(t, q));
        var fixedHorizon = Mover.Difference(
            qc,
            QuantileInterval.OrderStatistic(c, q, confidence),
            qt,
            QuantileInterval.OrderStatistic(t, q, confidence)
        );
        var z = Wilson.Z(confidence);
        var variance = fixedHorizon.IsKnown ? Math.Pow((fixedHorizon.High - fixedHorizon.Low) / (2 * z), 2) : 0;
        return new ArmDifference(
            qc,
            qt,
            fixedHorizon,
            ConfidenceSequence.Around(qt - qc, variance, Mixture(scale, qc), confidence)
        );
    }

    private static double[] Sorted(IReadOnlyList<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : Bootstrap.Quantile(sorted, q);

    /// <summary>τ: the metric's min_effect or margin, or with a margin of 0, 1% of the control's figure (at least 1e-6).</summary>
    private static double Mixture(double scale, double control) =>
        scale > 0 ? scale : Math.Max(Math.Abs(double.IsNaN(control) ? 0 : control) * 0.01, 1e-6);

    /// <summary>Whether each arm has <see cref="ConfidenceSequence.MinimumPerArm"/> of what the metric counts.</summary>
    private static bool Enough(ExperimentMetric metric, ArmSample control, ArmSample treatment)
    {
        long Count(ArmSample arm)
        {
            if (metric.Business is { } business)
            {
                return arm.Business.GetValueOrDefault(business).Count;
            }
            var info = MetricCatalog.Find(metric.Metric!)!;
            return info.IsProportion ? arm.Labelled.Rate(info.Name)?.Trials ?? 0
                : info.LatencyQuantile is not null ? arm.LatencyMs.Count
                : arm.Cost.Count;
        }
        return Math.Min(Count(control), Count(treatment)) >= ConfidenceSequence.MinimumPerArm;
    }

    private static FigureVerdict PrimaryVerdict(ExperimentMetric metric, ArmDifference d)
    {
        var (better, worse) = metric.HigherIsBetter
            ? (d.AlwaysValid.Low > 0, d.AlwaysValid.High < 0)
            : (d.AlwaysValid.High < 0, d.AlwaysValid.Low > 0);
        return better ? FigureVerdict.Better
            : worse ? FigureVerdict.Worse
            : FigureVerdict.Unclear;
    }

    private static FigureVerdict GuardrailVerdict(ExperimentMetric metric, ArmDifference d)
    {
        var margin = metric.Margin ?? 0;
        // Worse by more than the margin for sure, or within the margin for sure, at always-valid confidence.
        var (beyond, within) = metric.HigherIsBetter
            ? (d.AlwaysValid.High < -margin, d.AlwaysValid.Low > -margin)
            : (d.AlwaysValid.Low > margin, d.AlwaysValid.High < margin);
        return beyond ? FigureVerdict.BeyondMargin
            : within ? FigureVerdict.WithinMargin
            : FigureVerdict.Unclear;
    }

    /// <summary>
    /// Units of the primary metric's basis needed per arm (statsmodels' NormalIndPower on Cohen's h for a rate; the
    /// normal two-sample formula with the control's variance for a mean), and the fewest either arm has; null for a
    /// latency quantile or without a control figure.
    /// </summary>
    private static (long Needed, long Have)? Plan(
        ExperimentMetric metric,
        ArmSample control,
        ArmSample treatment,
        double confidence,
        double power
    )
    {
        var effect = metric.MinEffect ?? 0;
        var alpha = 1 - confidence;
        if (metric.Metric is { } name && MetricCatalog.Find(name) is { IsProportion: true } info)
        {
            if (
                control.Labelled.Rate(info.Name) is not { Trials: > 0 } c
                || treatment.Labelled.Rate(info.Name) is not { } t
            )
            {
                return null;
            }
            var baseline = (double)c.Successes / c.Trials;
            var target = Math.Clamp(baseline + (metric.HigherIsBetter ? effect : -effect), 0, 1);
            if (target == baseline)
            {
                return null;
            }
            var needed = (long)Math.Ceiling(SampleSize.PerArmExact(baseline, target, alpha, power) - 1e-9);
            return (needed, Math.Min(c.Trials, t.Trials));
        }
        var (control1, treatment1) =
            metric.Business is { } business
                ? (control.Business.GetValueOrDefault(business), treatment.Business.GetValueOrDefault(business))
            : metric.Metric == ExperimentMetrics.CostPer1000 ? (Scaled(control.Cost), Scaled(treatment.Cost))
            : (default, default);
        if (control1.Count < 2 || !(control1.Variance > 0))
        {
            return null;
        }
        var z = Normal.InvCDF(0, 1, 1 - (alpha / 2)) + Normal.InvCDF(0, 1, power);
        var perArm = (long)Math.Ceiling(2 * z * z * control1.Variance / (effect * effect));
        return (perArm, Math.Min(control1.Count, treatment1.Count));
    }

    private static Moments Scaled(Moments cost) => new(cost.Sum * 1000, cost.SumOfSquares * 1e6, cost.Count);

    private static (ExperimentDecision Decision, IReadOnlyList<string> Reasons) Decide(
        ExperimentSpec spec,
        SplitCheck? split,
        IReadOnlyList<ExperimentFigure> primary,
        IReadOnlyList<ExperimentFigure> guardrails,
        TimeSpan elapsed
    )
    {
        if (split is { Mismatch: true })
        {
            return (ExperimentDecision.Stop, ["split"]);
        }
        var broken = guardrails.Where(g => g.Verdict == FigureVerdict.BeyondMargin).Select(g => g.Metric.Name).ToList();
        if (broken.Count > 0)
        {
            return (ExperimentDecision.Rollback, broken);
        }
        var worse = primary.Where(p => p.Verdict == FigureVerdict.Worse).Select(p => p.Metric.Name).ToList();
        if (worse.Count > 0)
        {
            return (ExperimentDecision.Rollback, worse);
        }
        if (
            primary.All(p => p.Verdict == FigureVerdict.Better)
            && guardrails.All(g => g.Verdict == FigureVerdict.WithinMargin)
        )
        {
            return (ExperimentDecision.Rollout, [.. primary.Select(p => p.Metric.Name)]);
        }
        if (elapsed >= spec.MaxDuration)
        {
            return (ExperimentDecision.Rollback, ["max_duration"]);
        }
        return (ExperimentDecision.Running, []);
    }
}

/// <summary>What to do with the treatment.</summary>
public enum ExperimentDecision
{
    /// <summary>Not decided yet: keep running.</summary>
    Running,

    /// <summary>The treatment is better on every primary metric and within every guardrail's margin: serve it to all.</summary>
    Rollout,

    /// <summary>A guardrail is worse beyond its margin, a primary metric is worse, or time ran out: go back to the control.</summary>
    Rollback,

    /// <summary>The split is not what was planned: something assigns or logs arms wrongly, and no verdict can be trusted.</summary>
    Stop,
}

/// <summary>A metric's verdict in an experiment.</summary>
public enum FigureVerdict
{
    /// <summary>Too few units in an arm for an always-valid verdict.</summary>
    NotEnoughData,

    /// <summary>Neither better nor worse yet (a primary), or neither within nor beyond the margin yet (a guardrail).</summary>
    Unclear,

    /// <summary>A primary metric is better with the treatment, at always-valid confidence.</summary>
    Better,

    /// <summary>A primary metric is worse with the treatment, at always-valid confidence.</summary>
    Worse,

    /// <summary>A guardrail is no worse than its margin, at always-valid confidence.</summary>
    WithinMargin,

    /// <summary>A guardrail is worse than its margin, at always-valid confidence.</summary>
    BeyondMargin,
}

/// <summary>One metric of an experiment: the difference and its verdict.</summary>
/// <param name="Metric">The metric as the contract names it.</param>
/// <param name="Difference">Treatment − control with both intervals.</param>
/// <param name="Verdict">The verdict at always-valid confidence.</param>
public sealed record ExperimentFigure(ExperimentMetric Metric, ArmDifference Difference, FigureVerdict Verdict)
{
    /// <summary>
    /// In a shadow experiment, for a rate whose pairs both count (accuracy, recall, false positive rate…): McNemar's
    /// test on the discordant pairs; null otherwise.
    /// </summary>
    public DiscordantPairs? Discordant { get; init; }
}

/// <summary>An experiment judged: its figures, plan and decision.</summary>
public sealed record ExperimentReport
{
    /// <summary>The experiment's name.</summary>
    public required string Experiment { get; init; }

    /// <summary>The control's model version.</summary>
    public required string Control { get; init; }

    /// <summary>The treatment's model version.</summary>
    public required string Treatment { get; init; }

    /// <summary>The confidence of every interval.</summary>
    public required double Confidence { get; init; }

    /// <summary>The split check; null for a shadow experiment (one arm is served).</summary>
    public SplitCheck? Split { get; init; }

    /// <summary>For a shadow experiment, how its predictions were paired; null for an A/B experiment.</summary>
    public ShadowCounts? Shadow { get; init; }

    /// <summary>
    /// The figures within each value of the contract's segments, so a treatment better overall but worse for one group
    /// shows; they inform, the decision is taken on the whole experiment.
    /// </summary>
    public IReadOnlyList<ExperimentSegment> Segments { get; init; } = [];

    /// <summary>
    /// Per arm (control, then treatment) of a binary feature, what its predictions still awaiting labels are estimated
    /// to show from its own calibrated scores (<see cref="ArmEstimator"/>); they inform, the decision is taken on the
    /// labelled figures alone. Empty when not estimated.
    /// </summary>
    public IReadOnlyList<ArmEstimate> Estimated { get; init; } = [];

    /// <summary>The primary metrics.</summary>
    public required IReadOnlyList<ExperimentFigure> Primary { get; init; }

    /// <summary>The guardrails.</summary>
    public required IReadOnlyList<ExperimentFigure> Guardrails { get; init; }

    /// <summary>What the primary metrics count, needed per arm for the planned power; null when it cannot be planned yet.</summary>
    public long? NeededPerArm { get; init; }

    /// <summary>Days until <see cref="NeededPerArm"/> at the traffic so far; null when unknown.</summary>
    public double? DaysLeft { get; init; }

    /// <summary>How long the experiment has run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The decision.</summary>
    public required ExperimentDecision Decision { get; init; }

    /// <summary>What decided it: metric names, <c>split</c> or <c>max_duration</c>.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
}

/// <summary>An experiment's figures within one value of a segment.</summary>
/// <param name="Attribute">The segment's attribute.</param>
/// <param name="Value">Its value.</param>
/// <param name="ControlUnits">The control's units with that value.</param>
/// <param name="TreatmentUnits">The treatment's units with that value.</param>
/// <param name="Primary">The primary metrics within the segment.</param>
/// <param name="Guardrails">The guardrails within the segment.</param>
public sealed record ExperimentSegment(
    string Attribute,
    string Value,
    long ControlUnits,
    long TreatmentUnits,
    IReadOnlyList<ExperimentFigure> Primary,
    IReadOnlyList<ExperimentFigure> Guardrails
);
