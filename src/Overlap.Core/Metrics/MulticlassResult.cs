namespace Overlap.Core.Metrics;

/// <summary>Everything a multiclass evaluation measured, overall and per segment value.</summary>
internal sealed record MulticlassResult
{
    /// <summary>Examples evaluated.</summary>
    public required long N { get; init; }

    /// <summary>The options the evaluation ran with.</summary>
    public required MulticlassOptions Options { get; init; }

    /// <summary>The class names, indexed by code.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Metrics over all examples.</summary>
    public required MulticlassGroupMetrics Overall { get; init; }

    /// <summary>Metrics per value of each segment column, in the sample's column order.</summary>
    public required IReadOnlyList<MulticlassSegmentMetrics> Segments { get; init; }
}
