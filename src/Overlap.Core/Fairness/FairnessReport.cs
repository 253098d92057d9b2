namespace Overlap.Core.Fairness;

/// <summary>How a binary model's decisions compare between the groups of the contract's sensitive attributes.</summary>
public sealed record FairnessReport
{
    /// <summary>The fewest examples behind a group's rate before a measure over the group is judged.</summary>
    public required int MinGroupSize { get; init; }

    /// <summary>Per attribute and per intersection: its groups and every measure between them.</summary>
    public required IReadOnlyList<FairnessGrouping> Groupings { get; init; }
}
