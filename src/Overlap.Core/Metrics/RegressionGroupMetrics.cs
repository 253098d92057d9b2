namespace Overlap.Core.Metrics;

/// <summary>The regression metrics of one group of examples: all of them, or those of one segment value.</summary>
internal sealed record RegressionGroupMetrics
{
    /// <summary>The segment value, or null for the overall group.</summary>
    public required string? Value { get; init; }

    /// <summary>Examples in the group.</summary>
    public required long N { get; init; }

    /// <summary>Every metric of <see cref="RegressionMetricNames.All"/>, keyed by name.</summary>
    public required IReadOnlyDictionary<string, MetricEstimate> Metrics { get; init; }

    /// <summary>The metric of that name.</summary>
    /// <param name="name">One of <see cref="RegressionMetricNames.All"/>.</param>
    public MetricEstimate this[string name] => Metrics[name];
}
