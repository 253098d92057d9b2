using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;

namespace Overlap.Core.Planning;

/// <summary>
/// Sizes the labelled data a contract's proportion requirements need: the smallest count whose Wilson interval
/// is as narrow as the margin at the expected rate (<see cref="SampleSize.ForWilson"/>), turned into examples
/// overall by the share of examples the proportion counts (its prevalence or flagged share).
/// </summary>
public static class Planner
{
    /// <summary>The margin used when neither the caller nor the data gives one: ±2 points.</summary>
    public const double DefaultMargin = 0.02;

    /// <summary>A gap between the observed figure and the bar below this is too small to plan to; <see cref="DefaultMargin"/> is used.</summary>
    public const double SmallestDataMargin = 0.005;

    /// <summary>Which examples a proportion metric counts, or null when the metric is not a proportion planned here.</summary>
    public static PlanBasis? BasisOf(string metric) => MetricCatalog.Find(metric)?.Basis;

    /// <summary>The value of a proportion metric in a set of confusion counts; NaN when its denominator is empty.</summary>
    public static double Observed(string metric, Confusion c) =>
        c.Rate(metric) is { Trials: > 0 } rate ? (double)rate.Successes / rate.Trials : double.NaN;

    /// <summary>How many examples of a basis a set of counts holds.</summary>
    public static long Count(PlanBasis basis, Confusion c) =>
        basis switch
        {
            PlanBasis.Positives => c.Positives,
            PlanBasis.Negatives => c.Negatives,
            PlanBasis.Flagged => c.PredictedPositives,
            _ => c.Total,
        };

    /// <summary>
    /// Plans every proportion requirement of <paramref name="contract"/> with a min or max bar; the rest are listed
    /// as skipped. With <paramref name="data"/>, the expected rate, the shares and the current counts come from it;
    /// without, the expected rate is the bar and the shares come from <paramref name="options"/>.
    /// </summary>
    public static SamplePlan Plan(Contract contract, PlanData? data, PlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        options ??= new PlanOptions();
        var confidence = options.Confidence ?? contract.Confidence;
        var plans = new List<RequirementPlan>();
        var skipped = new List<SkippedRequirement>();
        foreach (var r in contract.Requirements)
        {
            var info = MetricCatalog.Find(r.Metric);
            var basis = BasisOf(r.Metric);
            if (info?.ProductionOnly == true)
            {
                skipped.Add(
                    new SkippedRequirement(r.Metric, r.Line, "measured on production traffic, not on labelled examples")
                );
            }
            else if (basis is null)
            {
                skipped.Add(
                    new SkippedRequirement(
                        r.Metric,
                        r.Line,
                        "not a proportion; plans size the rates judged with a Wilson interval (accuracy, precision, recall, specificity and the error rates)"
                    )
                );
            }
            else if (r.Bound == Bound.MaxGap)
            {
                skipped.Add(
                    new SkippedRequirement(
                        r.Metric,
                        r.Line,
                        "a max_gap bar compares segments with the overall figure; plan a min or max bar per segment instead"
                    )
                );
            }
            else
            {
                plans.Add(PlanRequirement(r, basis.Value, data, options, confidence, contract.Words));
            }
        }
        return new SamplePlan
        {
            Feature = contract.Feature,
            DataRows = data?.Overall.Total,
            Requirements = plans,
            Skipped = skipped,
        };
    }

    /// <summary>Plans one metric measured without a bar: how many examples put its interval within ±margin of <paramref name="expected"/>.</summary>
    /// <param name="metric">A proportion metric (see <see cref="BasisOf"/>).</param>
    /// <param name="expected">The rate expected.</param>
    /// <param name="margin">The half-width wanted.</param>
    /// <param name="confidence">Two-sided confidence.</param>
    /// <param name="share">Share of all examples the metric counts (prevalence, its complement or the flagged share), or null when unknown.</param>
    /// <param name="words">The words of the statement; defaults when null.</param>
    /// <exception cref="ArgumentException">The metric is not a proportion.</exception>
    public static RequirementPlan PlanMetric(
        string metric,
        double expected,
        double margin,
        double confidence,
        double? share = null,
        ContractWords? words = null
    )
    {
        ArgumentNullException.ThrowIfNull(metric);
        var basis = BasisOf(metric)
            ?? throw new ArgumentException($"'{metric}' is not a proportion metric.", nameof(metric));
        if (basis == PlanBasis.Examples)
        {
            share = 1;
        }
        var needed = SampleSize.ForWilson(expected, margin, confidence);
        var total = Examples(needed, share);
        var plan = new RequirementPlan
        {
            Metric = metric,
            Expected = expected,
            ExpectedFrom = "option",
            Margin = margin,
            Confidence = confidence,
            Basis = basis,
            Needed = needed,
            Share = share,
            ExamplesNeeded = total,
            Statement = string.Empty,
        };
        return plan with { Statement = Statement(plan, words ?? new ContractWords(), fromData: false) };
    }

    /// <summary>Examples per model to tell <paramref name="baselineRate"/> from <paramref name="candidateRate"/> with a two-sided test.</summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="SampleSize.PerArmExact"/>.</exception>
    public static ComparisonPlan Compare(
        double baselineRate,
        double candidateRate,
        double alpha = 0.05,
        double power = 0.8
    )
    {
        var perArm = SampleSize.PerArm(baselineRate, candidateRate, alpha, power);
        var statement =
            $"To tell a {Phrasing.Percent(baselineRate)} rate from {Phrasing.Percent(candidateRate)} (two-sided test at {Phrasing.Percent(alpha)} significance, {Phrasing.Percent(power)} power) you need about {Phrasing.Number(perArm)} labelled examples for each model — {Phrasing.Number(2 * perArm)} in all.";
        return new ComparisonPlan
        {
            BaselineRate = baselineRate,
            CandidateRate = candidateRate,
            EffectSize = SampleSize.EffectSize(candidateRate, baselineRate),
            Alpha = alpha,
            Power = power,
            PerArm = perArm,
            Total = 2 * perArm,
            Statement = statement,
        };
    }

    private static RequirementPlan PlanRequirement(
        Requirement r,
        PlanBasis basis,
        PlanData? data,
        PlanOptions options,
        double confidence,
        ContractWords words
    )
    {
        var observed = data is null ? double.NaN : Observed(r.Metric, data.Overall);
        var fromData = !double.IsNaN(observed);
        var expected = fromData ? observed : r.Value;
        var gap = Math.Abs(expected - r.Value);
        var margin = options.Margin ?? (fromData && gap > SmallestDataMargin ? Math.Min(gap, 0.5) : DefaultMargin);
        var needed = SampleSize.ForWilson(expected, margin, confidence);
        double? share = data is { Overall.Total: > 0 }
            ? (double)Count(basis, data.Overall) / data.Overall.Total
            : basis switch
            {
                PlanBasis.Examples => 1,
                PlanBasis.Positives => options.Prevalence,
                PlanBasis.Negatives => 1 - options.Prevalence,
                _ => options.FlaggedShare,
            };
        IReadOnlyList<SegmentPlan>? segments = null;
        var total = Examples(needed, share);
        if (r.By is not null && data is not null && data.Segments.TryGetValue(r.By, out var values) && values.Count > 0)
        {
            // Each group is judged on its own interval, so each is sized at its own observed rate and its own
            // distance to the bar (the overall figures stand in for a group with nothing to observe).
            segments =
            [
                .. values.Select(v => Segment(v.Key, v.Value, basis, r, options, confidence, expected, margin)),
            ];
            var hardest = segments.MaxBy(s => s.Needed)!;
            needed = hardest.Needed;
            // At the current mix, the group that fills most slowly sets the total.
            total = segments.Any(v => v.Current == 0)
                ? null
                : segments.Max(v => (long)Math.Ceiling((double)v.Needed * data.Overall.Total / v.Current));
        }
        var plan = new RequirementPlan
        {
            Metric = r.Metric,
            Bound = r.BoundKey,
            Bar = r.Value,
            By = r.By,
            Expected = expected,
            ExpectedFrom = fromData ? "data" : "bar",
            Margin = margin,
            Confidence = confidence,
            Basis = basis,
            Needed = needed,
            Current = data is null ? null : Count(basis, data.Overall),
            Share = share,
            ExamplesNeeded = total,
            Segments = segments,
            Statement = string.Empty,
        };
        return plan with { Statement = Statement(plan, words, data is not null) };
    }

    private static SegmentPlan Segment(
        string value,
        Confusion c,
        PlanBasis basis,
        Requirement r,
        PlanOptions options,
        double confidence,
        double fallbackExpected,
        double fallbackMargin
    )
    {
        var current = Count(basis, c);
        double? share = current > 0 ? (double)current / c.Total : null;
        var observed = Observed(r.Metric, c);
        var expected = double.IsNaN(observed) ? fallbackExpected : observed;
        var gap = Math.Abs(expected - r.Value);
        var margin = options.Margin
            ?? (
                double.IsNaN(observed) ? fallbackMargin
                : gap > SmallestDataMargin ? Math.Min(gap, 0.5)
                : DefaultMargin
            );
        var needed = SampleSize.ForWilson(expected, margin, confidence);
        return new SegmentPlan
        {
            Value = value,
            Expected = expected,
            Margin = margin,
            Current = current,
            Needed = needed,
            More = Math.Max(0, needed - current),
            Share = share,
            ExamplesNeeded = Examples(needed, share),
        };
    }

    private static long? Examples(long needed, double? share) =>
        share is > 0 and <= 1 ? (long)Math.Ceiling(needed / share.Value - 1e-9) : null;

    private static string Statement(RequirementPlan p, ContractWords words, bool fromData)
    {
        var noun = Noun(p.Basis, words);
        var examples = Phrasing.Plural(words.Example);
        var points = Math.Round(p.Margin * 100, 2);
        var within =
            $"to within ±{Phrasing.Number(points)} point{(points == 1 ? string.Empty : "s")} at {Phrasing.Confidence(p.Confidence)} confidence";
        var goal = p.Bar is { } bar
            ? $"To judge {Phrasing.Name(p.Metric)} {(p.Bound == "max" ? "≤" : "≥")} {bar.ToString("0.00##", CultureInfo.InvariantCulture)}{(p.By is null ? $" {within}" : p.Segments is { Count: > 0 } ? $" in every {p.By} group at {Phrasing.Confidence(p.Confidence)} confidence," : $" in every {p.By} group {within}")}"
            : $"To measure {Phrasing.Name(p.Metric)} {within}, when it is about {Phrasing.Percent(p.Expected)},";
        var hardest = p.Segments is { Count: > 0 } groups ? groups.MaxBy(g => g.Needed) : null;
        var each =
            p.By is null ? string.Empty
            : hardest is null ? " in each group"
            : hardest.Current == 0
                ? $" in the hardest group, {p.By} = {hardest.Value} (none labelled yet, so sized at {Phrasing.Percent(hardest.Expected)}, to ±{Phrasing.Number(Math.Round(hardest.Margin * 100, 2))} points)"
            : $" in the hardest group, {p.By} = {hardest.Value} ({Phrasing.Percent(hardest.Expected)} now, sized to ±{Phrasing.Number(Math.Round(hardest.Margin * 100, 2))} points)";
        var sentence =
            $"{goal} you need about {Phrasing.Number(p.Needed)} labelled {(p.Needed == 1 ? Noun(p.Basis, words, one: true) : noun)}{each}";
        if (p.Basis != PlanBasis.Examples)
        {
            var mix =
                p.By is not null && p.Segments is not null ? "in all at the current mix"
                : p.Share is { } s
                    ? $"{(p.By is null ? string.Empty : "per group ")}at {(fromData ? "the current" : "a")} {Phrasing.Percent(s)} share"
                : string.Empty;
            sentence +=
                p.ExamplesNeeded is { } total ? $" — about {Phrasing.Number(total)} labelled {examples} {mix}"
                : p.Basis == PlanBasis.Flagged
                    ? $"; how many {examples} that takes depends on how often they are {words.Action}"
                : string.Empty;
        }
        sentence += ".";
        if (p.Current is { } current && p.By is null)
        {
            sentence +=
                current >= p.Needed
                    ? $" The data has {Phrasing.Number(current)}: enough."
                    : $" The data has {Phrasing.Number(current)}: {Phrasing.Number(p.Needed - current)} more needed.";
        }
        return sentence;
    }

    internal static string Noun(PlanBasis basis, ContractWords words, bool one = false)
    {
        string Number(string noun) => one ? noun : Phrasing.Plural(noun);
        return basis switch
        {
            PlanBasis.Positives => Number(words.Positive),
            PlanBasis.Negatives => Number(words.Negative),
            PlanBasis.Flagged => $"{Number(words.Example)} {words.Action}",
            _ => Number(words.Example),
        };
    }
}
