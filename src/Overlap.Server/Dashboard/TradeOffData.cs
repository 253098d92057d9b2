namespace Overlap.Server.Dashboard;

/// <summary>The threshold/cost trade-off: the sweep's cost per 1,000 decisions, the contract's threshold and the cost-optimal one.</summary>
/// <param name="Sweep">Cost per 1,000 decisions at each threshold of the sweep, in order.</param>
/// <param name="Threshold">The contract's threshold.</param>
/// <param name="CostPer1000">The cost at it.</param>
/// <param name="OptimalThreshold">The threshold with the lowest cost.</param>
/// <param name="OptimalCostPer1000">The cost at that one.</param>
/// <param name="Currency">The cost unit.</param>
public sealed record TradeOffData(CostPoint[] Sweep, double Threshold, double CostPer1000, double OptimalThreshold, double OptimalCostPer1000, string Currency);
