namespace Overlap.Core.Evaluation;

/// <summary>One requirement judged: the verdict, the figure it rests on, and what it means.</summary>
public sealed record RequirementResult
{
    /// <summary>The metric.</summary>
    public required string Metric { get; init; }

    /// <summary>The bar, when the requirement is a min.</summary>
    public double? Min { get; init; }

    /// <summary>The bar, when the requirement is a max.</summary>
    public double? Max { get; init; }

    /// <summary>The bar, when the requirement is a max gap between segments and overall.</summary>
    public double? MaxGap { get; init; }

    /// <summary>The segment column, for a per-segment requirement.</summary>
    public string? By { get; init; }

    /// <summary>pass, fail, inconclusive or skipped.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>The figure judged (for a per-segment requirement, the deciding segment's).</summary>
    public double? Value { get; init; }

    /// <summary>Lower bound of the figure's interval.</summary>
    public double? CiLow { get; init; }

    /// <summary>Upper bound of the figure's interval.</summary>
    public double? CiHigh { get; init; }

    /// <summary>Why the figure has no value (null value), in words; null when it has one.</summary>
    public string? Reason { get; init; }

    /// <summary>For a per-segment requirement, the segment value that decided the verdict.</summary>
    public string? Segment { get; init; }

    /// <summary>The verdict of each segment value, for a per-segment requirement.</summary>
    public IReadOnlyList<SegmentVerdict>? Segments { get; init; }

    /// <summary>For an inconclusive verdict: about how many more labelled examples would settle it, if the rate held.</summary>
    public long? MoreExamplesNeeded { get; init; }

    /// <summary>The verdict and figure in plain words.</summary>
    public required string Statement { get; init; }
}
