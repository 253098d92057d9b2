namespace Overlap.Core.Metrics;

/// <summary>The one-vs-rest figures of one class within a group.</summary>
/// <param name="Class">The class name.</param>
/// <param name="Support">Examples of the group whose true class it is.</param>
/// <param name="Predicted">Examples of the group predicted as it.</param>
/// <param name="Metrics">
/// <c>precision</c> and <c>recall</c> (Wilson; NaN and unknown when nothing was predicted as the class or
/// nothing is of it) and <c>f1</c> (percentile bootstrap; NaN when the class is neither present nor predicted).
/// </param>
internal sealed record ClassMetrics(
    string Class,
    long Support,
    long Predicted,
    IReadOnlyDictionary<string, MetricEstimate> Metrics
)
{
    /// <summary>The metric of that name.</summary>
    /// <param name="name">One of <see cref="MulticlassMetricNames.PerClass"/>.</param>
    public MetricEstimate this[string name] => Metrics[name];
}
