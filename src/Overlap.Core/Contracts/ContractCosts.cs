namespace Overlap.Core.Contracts;

/// <summary>What each kind of error costs, in the contract's currency.</summary>
public sealed record ContractCosts
{
    /// <summary>Cost of flagging a negative as positive.</summary>
    public double FalsePositive { get; init; } = 1;

    /// <summary>Cost of missing a positive.</summary>
    public double FalseNegative { get; init; } = 1;

    /// <summary>The unit of the costs ("USD", "minutes").</summary>
    public string Currency { get; init; } = "units";

    /// <summary>True when the contract wrote costs down (otherwise both are 1).</summary>
    public bool Given { get; init; }
}
