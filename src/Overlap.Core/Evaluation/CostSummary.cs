using System.Text.Json.Serialization;

namespace Overlap.Core.Evaluation;

/// <summary>What errors cost at the contract threshold and at the cost-optimal threshold.</summary>
public sealed record CostSummary
{
    /// <summary>The contract's threshold.</summary>
    public required double Threshold { get; init; }

    /// <summary>Expected cost per 1,000 decisions at the contract's threshold.</summary>
    [JsonPropertyName("cost_per_1000")]
    public required double CostPer1000 { get; init; }

    /// <summary>The threshold with the lowest total cost on this data.</summary>
    public required double OptimalThreshold { get; init; }

    /// <summary>Expected cost per 1,000 decisions at the optimal threshold.</summary>
    [JsonPropertyName("optimal_cost_per_1000")]
    public required double OptimalCostPer1000 { get; init; }

    /// <summary>The cost unit.</summary>
    public required string Currency { get; init; }

    /// <summary>Cost of one false positive.</summary>
    public required double FalsePositiveCost { get; init; }

    /// <summary>Cost of one false negative.</summary>
    public required double FalseNegativeCost { get; init; }
}
