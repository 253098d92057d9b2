using Overlap.Core.Contracts;
using Overlap.Core.Metrics;
using Overlap.Core.Planning;
using Overlap.Core.Statistics;

namespace Overlap.Core.Experiments;

public static partial class ExperimentAnalysis
{
    /// <summary>
    /// Analyses the shadow experiment <paramref name="spec"/> of <paramref name="contract"/> after
    /// <paramref name="elapsed"/>: the treatment was scored on the same examples as the served control, so each rate is
    /// compared on the pairs, as <c>overlap eval --baseline</c> compares two models: the paired percentile bootstrap of
    /// the difference (the fixed-horizon interval), McNemar's test on the discordant pairs where both models' decisions
    /// count for the rate, and the confidence sequence on the paired variance (the always-valid interval the decision
    /// reads). Latency and cost are compared per arm as in an A/B experiment; there is no split to check. The report's
    /// decision reads as for an A/B experiment: rollout means promote the treatment, rollback keep the control.
    /// </summary>
    public static ExperimentReport AnalyzeShadow(
        Contract contract,
        ExperimentSpec spec,
        ShadowSample sample,
        TimeSpan elapsed
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sample);
        var confidence = contract.Confidence;
        var pairs = sample.Labelled;
        var control = sample.Control with { Labelled = Labelled(pairs, treatment: false) };
        var treatment = sample.Treatment with { Labelled = Labelled(pairs, treatment: true) };
        var rates = spec
            .Primary.Concat(spec.Guardrails)
            .Select(m => m.Metric is { } name ? MetricCatalog.Find(name) : null)
            .Where(info => info is { IsProportion: true })
            .Select(info => info!.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var paired =
            pairs.Count == 0 || rates.Count == 0
                ? null
                : PairedComparison.Compare(
                    Decisions(pairs, treatment: false),
                    Decisions(pairs, treatment: true),
                    new BinaryOptions { Confidence = confidence },
                    rates
                );
        return Report(contract, spec, control, treatment, elapsed, split: null, (m, primary) =>
            m.Metric is { } name && MetricCatalog.Find(name) is { IsProportion: true } info
                ? PairedFigure(m, info, pairs, paired, Enough(m, control, treatment), confidence, primary)
                : Figure(m, control, treatment, confidence, primary)
        ) with
        {
            Shadow = sample.Counts,
        };
    }

    /// <summary>
    /// A rate on the pairs: the paired bootstrap interval, McNemar where both decisions count, and the always-valid
    /// interval on the paired variance (the Wald variance of the per-pair difference where both count, else the variance
    /// the bootstrap interval implies, ((high − low) / 2z)², as for a latency quantile).
    /// </summary>
    private static ExperimentFigure PairedFigure(
        ExperimentMetric metric,
        MetricInfo info,
        IReadOnlyList<LabelledPair> pairs,
        PairedComparisonResult? paired,
        bool enough,
        double confidence,
        bool primary
    )
    {
        if (paired is null || !paired.Differences.TryGetValue(info.Name, out var d))
        {
            var unknown = new ArmDifference(double.NaN, double.NaN, Interval.Unknown, Interval.Unknown);
            return Judge(metric, unknown, enough: false, primary);
        }
        var discordant = Discordant(info, pairs);
        double variance;
        if (discordant is { Pairs: > 0 } x)
        {
            var m = (double)x.Pairs;
            var mean = (x.TreatmentOnly - x.ControlOnly) / m;
            variance = (((x.ControlOnly + x.TreatmentOnly) / m) - (mean * mean)) / m;
        }
        else
        {
            var z = Wilson.Z(confidence);
            variance = d.Interval.IsKnown ? Math.Pow((d.Interval.High - d.Interval.Low) / (2 * z), 2) : 0;
        }
        var difference = new ArmDifference(
            d.A,
            d.B,
            d.Interval,
            ConfidenceSequence.Around(d.Difference, variance, RateMixture(Scale(metric)), confidence)
        );
        return Judge(metric, difference, enough, primary) with { Discordant = discordant };
    }

    /// <summary>
    /// McNemar on the pairs a rate counts for both models alike (every rate but precision, whose flagged examples differ
    /// between the models); null for precision.
    /// </summary>
    private static DiscordantPairs? Discordant(MetricInfo info, IReadOnlyList<LabelledPair> pairs)
    {
        if (info is not { Successes: { } successes, Basis: { } basis } || basis == PlanBasis.Flagged)
        {
            return null;
        }
        long counted = 0,
            controlOnly = 0,
            treatmentOnly = 0;
        foreach (var p in pairs)
        {
            var (c, t) = (Confusion.One(p.Positive, p.ControlFlagged), Confusion.One(p.Positive, p.TreatmentFlagged));
            if (Planner.Count(basis, c) == 0)
            {
                continue;
            }
            counted++;
            var (cs, ts) = (successes(c) == 1, successes(t) == 1);
            controlOnly += cs && !ts ? 1 : 0;
            treatmentOnly += ts && !cs ? 1 : 0;
        }
        return new DiscordantPairs(counted, controlOnly, treatmentOnly, McNemar.Test(controlOnly, treatmentOnly));
    }

    private static Confusion Labelled(IReadOnlyList<LabelledPair> pairs, bool treatment)
    {
        var sum = default(Confusion);
        foreach (var p in pairs)
        {
            sum += Confusion.One(p.Positive, treatment ? p.TreatmentFlagged : p.ControlFlagged);
        }
        return sum;
    }

    /// <summary>One model's decisions on the pairs, as a sample (the rates compared need the decisions alone).</summary>
    private static BinarySample Decisions(IReadOnlyList<LabelledPair> pairs, bool treatment)
    {
        var flagged = pairs.Select(p => (byte)((treatment ? p.TreatmentFlagged : p.ControlFlagged) ? 1 : 0)).ToArray();
        return new BinarySample(
            flagged.Select(f => (double)f).ToArray(),
            pairs.Select(p => (byte)(p.Positive ? 1 : 0)).ToArray(),
            flagged
        );
    }
}
