namespace Overlap.Core.Evaluation;

/// <summary>The figures for the examples that share one value of a segment column.</summary>
public sealed record SegmentResult
{
    /// <summary>The group of the examples that have no value in a segment column.</summary>
    public const string Missing = "(missing)";

    /// <summary>How many examples have this value.</summary>
    public required long N { get; init; }

    /// <summary>Every metric for this value.</summary>
    public required IReadOnlyDictionary<string, MetricValue> Metrics { get; init; }

    /// <summary>The binary confusion matrix for this value, if binary.</summary>
    public ConfusionCounts? Confusion { get; init; }
}
