using Overlap.Core.Evaluation;

namespace Overlap.Core.Fairness;

/// <summary>One disparity measure between the groups of a grouping, with its percentile bootstrap interval and, when the contract sets a bar, its verdict.</summary>
public sealed record FairnessResult
{
    /// <summary>The measure's name, such as <c>selection_rate_ratio</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The measure (NaN when it cannot be measured: see <see cref="Reason"/>).</summary>
    public required double Value { get; init; }

    /// <summary>Lower bound of the percentile bootstrap interval.</summary>
    public required double CiLow { get; init; }

    /// <summary>Upper bound of the percentile bootstrap interval.</summary>
    public required double CiHigh { get; init; }

    /// <summary>The group with the lowest rate (for equalized odds, of the rate whose gap is larger).</summary>
    public string? Lowest { get; init; }

    /// <summary>The group with the highest rate.</summary>
    public string? Highest { get; init; }

    /// <summary>The lowest group's rate.</summary>
    public double? LowestRate { get; init; }

    /// <summary>The highest group's rate.</summary>
    public double? HighestRate { get; init; }

    /// <summary>The bar when the contract holds the measure to a min.</summary>
    public double? Min { get; init; }

    /// <summary>The bar when the contract holds the measure to a max.</summary>
    public double? Max { get; init; }

    /// <summary>pass, fail or inconclusive when the contract sets a bar; null otherwise.</summary>
    public Verdict? Verdict { get; init; }

    /// <summary>Groups with fewer examples behind their rate than the minimum group size; any makes the verdict inconclusive.</summary>
    public IReadOnlyList<string> SmallGroups { get; init; } = [];

    /// <summary>For an inconclusive verdict: about how many more examples (of the kind the rate counts) would settle it.</summary>
    public long? MoreExamplesNeeded { get; init; }

    /// <summary>Why the measure has no value, in words; null when it has one.</summary>
    public string? Reason { get; init; }

    /// <summary>The figure, its interval and its verdict in plain words.</summary>
    public required string Statement { get; init; }
}
