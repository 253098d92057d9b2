using Overlap.Core.Evaluation;

namespace Overlap.Server.Dashboard;

internal static partial class FeatureCharts
{
    /// <summary>The cost of mistakes per 1,000 decisions at each threshold of the evaluation's sweep, with the contract's and the optimal threshold; null without a sweep or costs.</summary>
    public static TradeOffData? TradeOff(EvaluationReport evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (evaluation is not { ThresholdSweep: { Count: > 1 } sweep, Cost: { } cost })
        {
            return null;
        }
        CostPoint[] points = [.. sweep.Where(p => double.IsFinite(p.CostPer1000)).Select(p => new CostPoint(p.Threshold, p.CostPer1000))];
        return new TradeOffData(points, cost.Threshold, cost.CostPer1000, cost.OptimalThreshold, cost.OptimalCostPer1000, cost.Currency);
    }

    /// <summary>"At the threshold 0.5, mistakes cost 12.3 EUR per 1,000 decisions ...; the cost-optimal threshold 0.62 would have cost 9.8 EUR."</summary>
    public static string TradeOffStatement(TradeOffData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var now = $"At the threshold {Threshold(data.Threshold)}, mistakes cost {Money(data.CostPer1000)} {data.Currency} per 1,000 decisions over the last 30 days";
        var saving = data.CostPer1000 - data.OptimalCostPer1000;
        return saving < 0.005
            ? $"{now}; no other threshold would have cost less."
            : $"{now}; the cost-optimal threshold {Threshold(data.OptimalThreshold)} would have cost {Money(data.OptimalCostPer1000)} {data.Currency}, {Money(saving)} less per 1,000 decisions.";
    }
}
