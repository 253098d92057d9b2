using Overlap.Core.Evaluation;

namespace Overlap.Server.Monitoring.Charts;

internal static partial class FeatureCharts
{
    /// <summary>
    /// The cost of mistakes per 1,000 decisions at each threshold of the evaluation's sweep, with the contract's
    /// threshold, the cost-optimal one and the cheapest that keeps every requirement; null without a sweep or costs.
    /// </summary>
    public static TradeOffData? TradeOff(EvaluationReport evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (evaluation is not { ThresholdSweep: { Count: > 1 } sweep, Cost: { } cost })
        {
            return null;
        }
        CostPoint[] points =
        [
            .. sweep.Where(p => double.IsFinite(p.CostPer1000)).Select(p => new CostPoint(p.Threshold, p.CostPer1000)),
        ];
        return new TradeOffData(
            points,
            cost.Threshold,
            cost.CostPer1000,
            cost.OptimalThreshold,
            cost.OptimalCostPer1000,
            cost.Currency,
            cost.OptimalEffects ?? [],
            cost.ConstrainedThreshold,
            cost.ConstrainedCostPer1000,
            cost.ConstrainedReason
        );
    }

    /// <summary>
    /// "At the threshold 0.5, mistakes cost 12.3 EUR per 1,000 decisions ...": the advice is always a threshold that keeps
    /// the contract (or that none does); the unconstrained optimum is named beside it with what it would break.
    /// </summary>
    public static string TradeOffStatement(TradeOffData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var now =
            $"At the threshold {Threshold(data.Threshold)}, mistakes cost {Money(data.CostPer1000)} {data.Currency} per 1,000 decisions over the last 30 days";
        var saving = data.CostPer1000 - data.OptimalCostPer1000;
        if (saving < 0.005)
        {
            return $"{now}; no other threshold would have cost less.";
        }
        if (!data.OptimumBreaksContract)
        {
            return $"{now}; the cost-optimal threshold {Threshold(data.OptimalThreshold)} would have cost {Money(data.OptimalCostPer1000)} {data.Currency}, {Money(saving)} less per 1,000 decisions{(data.OptimalEffects is { Count: > 0 } ? ", and keeps every requirement" : "")}.";
        }
        var keeps = data switch
        {
            { ConstrainedThreshold: { } kept, ConstrainedCostPer1000: { } keptCost }
                when data.CostPer1000 - keptCost < 0.005 =>
                $"No threshold that keeps every requirement would have cost less (the cheapest is {Threshold(kept)}).",
            { ConstrainedThreshold: { } kept, ConstrainedCostPer1000: { } keptCost } =>
                $"The cheapest threshold that keeps every requirement is {Threshold(kept)}: it would have cost {Money(keptCost)} {data.Currency}, {Money(data.CostPer1000 - keptCost)} less per 1,000 decisions.",
            _ =>
                $"No threshold keeps every requirement: {data.ConstrainedReason ?? "the bars on rates cannot all be met at one threshold with these examples"}.",
        };
        var optimum =
            $"The cheapest of all, {Threshold(data.OptimalThreshold)} at {Money(data.OptimalCostPer1000)} {data.Currency}, would break the contract: {string.Join("; ", data.OptimalEffects!.Select(e => e.Said()))}.";
        return $"{now}. {keeps} {optimum}";
    }
}
