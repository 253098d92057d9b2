namespace Overlap.Core.Metrics;

/// <summary>The multiclass metrics of one group of examples: all of them, or those of one segment value.</summary>
internal sealed record MulticlassGroupMetrics
{
    /// <summary>The segment value, or null for the overall group.</summary>
    public required string? Value { get; init; }

    /// <summary>Examples in the group.</summary>
    public required long N { get; init; }

    /// <summary>The k×k confusion counts, rows true class, columns predicted class.</summary>
    public required ConfusionMatrix Confusion { get; init; }

    /// <summary>Every metric of <see cref="MulticlassMetricNames.All"/>, keyed by name.</summary>
    public required IReadOnlyDictionary<string, MetricEstimate> Metrics { get; init; }

    /// <summary>Per class, in class-code order: precision, recall and F1.</summary>
    public required IReadOnlyList<ClassMetrics> Classes { get; init; }

    /// <summary>The metric of that name.</summary>
    /// <param name="name">One of <see cref="MulticlassMetricNames.All"/>.</param>
    public MetricEstimate this[string name] => Metrics[name];
}
