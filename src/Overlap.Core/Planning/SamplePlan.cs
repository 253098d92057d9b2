namespace Overlap.Core.Planning;

/// <summary>The labelled examples a contract's proportion requirements need (or one metric, without a contract).</summary>
public sealed record SamplePlan
{
    /// <summary>The contract's feature, or null without a contract.</summary>
    public string? Feature { get; init; }

    /// <summary>Labelled rows in the data the plan was made from, or null without data.</summary>
    public long? DataRows { get; init; }

    /// <summary>One entry per sized requirement.</summary>
    public required IReadOnlyList<RequirementPlan> Requirements { get; init; }

    /// <summary>Requirements not sized, with the reason.</summary>
    public IReadOnlyList<SkippedRequirement> Skipped { get; init; } = [];
}
