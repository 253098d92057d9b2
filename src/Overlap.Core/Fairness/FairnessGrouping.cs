namespace Overlap.Core.Fairness;

/// <summary>The groups of one attribute (or one intersection of attributes) and the disparity measures between them.</summary>
public sealed record FairnessGrouping
{
    /// <summary>The grouping's name: "sex", or "sex × race" for an intersection.</summary>
    public required string By { get; init; }

    /// <summary>The attributes combined (one for a single attribute).</summary>
    public required IReadOnlyList<string> Attributes { get; init; }

    /// <summary>Each group with at least one example, in value order.</summary>
    public required IReadOnlyList<FairnessGroup> Groups { get; init; }

    /// <summary>Examples with no value in one of the attributes: in no group, so left out of the comparison.</summary>
    public required long Missing { get; init; }

    /// <summary>Every measure of <see cref="FairnessMeasure.All"/> the data allows, judged where the contract sets a bar.</summary>
    public required IReadOnlyList<FairnessResult> Measures { get; init; }
}
