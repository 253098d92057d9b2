using Overlap.Core.Evaluation;

namespace Overlap.Server.Monitoring.Charts;

/// <summary>
/// The threshold/cost trade-off: the sweep's cost per 1,000 decisions, the contract's threshold, the cost-optimal one
/// with what it does to each requirement, and the cheapest threshold that keeps every requirement.
/// </summary>
/// <param name="Sweep">Cost per 1,000 decisions at each threshold of the sweep, in order.</param>
/// <param name="Threshold">The contract's threshold.</param>
/// <param name="CostPer1000">The cost at it.</param>
/// <param name="OptimalThreshold">The threshold with the lowest cost, whatever it does to the requirements.</param>
/// <param name="OptimalCostPer1000">The cost at that one.</param>
/// <param name="Currency">The cost unit.</param>
/// <param name="OptimalEffects">What the cost-optimal threshold does to each requirement the threshold moves; empty when none does.</param>
/// <param name="ConstrainedThreshold">The cheapest threshold that keeps every requirement; null when none does.</param>
/// <param name="ConstrainedCostPer1000">The cost at that one.</param>
/// <param name="ConstrainedReason">Why no threshold keeps every requirement, in words.</param>
public sealed record TradeOffData(
    CostPoint[] Sweep,
    double Threshold,
    double CostPer1000,
    double OptimalThreshold,
    double OptimalCostPer1000,
    string Currency,
    IReadOnlyList<ThresholdEffect>? OptimalEffects = null,
    double? ConstrainedThreshold = null,
    double? ConstrainedCostPer1000 = null,
    string? ConstrainedReason = null
)
{
    /// <summary>True when taking the cost-optimal threshold would break a requirement of the contract.</summary>
    public bool OptimumBreaksContract => OptimalEffects?.Any(e => !e.Kept) == true;

    /// <summary>The cost at the threshold the page advises: the optimum when it keeps the contract, else the cheapest that does (else today's).</summary>
    public double AdvisedCostPer1000 =>
        OptimumBreaksContract ? ConstrainedCostPer1000 ?? CostPer1000 : OptimalCostPer1000;
}
