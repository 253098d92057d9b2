namespace Overlap.Core.Contracts;

/// <summary>One fairness bar: a disparity measure between the groups of an attribute (or an intersection) held to a min or a max.</summary>
public sealed record FairnessRequirement
{
    /// <summary>The measure's name, one of <see cref="Fairness.FairnessMeasure.All"/>.</summary>
    public required string Metric { get; init; }

    /// <summary>The attribute, or the attributes of an intersection, whose groups are compared.</summary>
    public required IReadOnlyList<string> By { get; init; }

    /// <summary>Min or max.</summary>
    public required Bound Bound { get; init; }

    /// <summary>The bar's value.</summary>
    public required double Value { get; init; }

    /// <summary>The contract line it was written on.</summary>
    public int Line { get; init; }
}
