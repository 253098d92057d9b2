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

    /// <summary>
    /// What the cheapest threshold does to each requirement the threshold moves (overall min/max bars on rates), so a
    /// reader sees whether taking it would break the contract.
    /// </summary>
    public IReadOnlyList<ThresholdEffect>? OptimalEffects { get; init; }

    /// <summary>
    /// The cheapest threshold that keeps every requirement the threshold moves (judged on its interval, as the contract
    /// judges); null when none does (see <see cref="ConstrainedReason"/>). Equal to <see cref="OptimalThreshold"/>
    /// when the optimum keeps them.
    /// </summary>
    public double? ConstrainedThreshold { get; init; }

    /// <summary>Expected cost per 1,000 decisions at <see cref="ConstrainedThreshold"/>.</summary>
    [JsonPropertyName("constrained_cost_per_1000")]
    public double? ConstrainedCostPer1000 { get; init; }

    /// <summary>Why there is no <see cref="ConstrainedThreshold"/>, in words.</summary>
    public string? ConstrainedReason { get; init; }

    /// <summary>The cost unit.</summary>
    public required string Currency { get; init; }

    /// <summary>Cost of one false positive.</summary>
    public required double FalsePositiveCost { get; init; }

    /// <summary>Cost of one false negative.</summary>
    public required double FalseNegativeCost { get; init; }
}
