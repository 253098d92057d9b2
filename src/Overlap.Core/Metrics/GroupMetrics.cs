namespace Overlap.Core.Metrics;

/// <summary>The metrics of one group of examples: all of them, or those of one segment value.</summary>
internal sealed record GroupMetrics
{
    /// <summary>The segment value, or null for the overall group.</summary>
    public required string? Value { get; init; }

    /// <summary>Examples in the group.</summary>
    public required long N { get; init; }

    /// <summary>The confusion counts of the decisions.</summary>
    public required Confusion Confusion { get; init; }

    /// <summary>Every metric of <see cref="BinaryMetricNames.All"/>, keyed by name.</summary>
    public required IReadOnlyDictionary<string, MetricEstimate> Metrics { get; init; }

    /// <summary>The metric of that name.</summary>
    /// <param name="name">One of <see cref="BinaryMetricNames"/>.</param>
    public MetricEstimate this[string name] => Metrics[name];
}
