using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>
/// One of the contract's <c>review.failure_categories</c> in a window: how many settled review decisions on the
/// window's outputs carry it, and that count as a share of the window's reviewed outputs with its Wilson interval.
/// </summary>
public sealed record FailureCategoryCount
{
    /// <summary>The category, as the contract names it.</summary>
    public required string Category { get; init; }

    /// <summary>Settled decisions on the window's outputs that carry the category.</summary>
    public required long Count { get; init; }

    /// <summary>
    /// <see cref="Count"/> over the window's reviewed outputs, with its Wilson interval (N is the reviewed outputs); no
    /// value, with the reason, when none was reviewed.
    /// </summary>
    public required MetricValue Share { get; init; }
}
