namespace Overlap.Core.Contracts;

/// <summary>What overlap knows about a metric name.</summary>
/// <param name="Name">The name used in contracts and reports.</param>
/// <param name="Tasks">The tasks it fits.</param>
/// <param name="HigherIsBetter">True when a larger value is better (recall); false for error rates and losses.</param>
/// <param name="IsProportion">True for rates judged with a Wilson interval; false for bootstrap metrics.</param>
/// <param name="Bounded">True when the value lies in [0, 1].</param>
/// <param name="ProductionOnly">True when only production traffic carries it (latency, cost).</param>
/// <param name="NeedsScore">True when it needs the model's score, not just its decision.</param>
/// <param name="Description">A short phrase for a person.</param>
/// <param name="HasDirection">False when neither a higher nor a lower value is better in itself (positive rate): a change is then "higher" or "lower", never "better" or "worse".</param>
public sealed record MetricInfo(string Name, TaskKind[] Tasks, bool HigherIsBetter, bool IsProportion, bool Bounded, bool ProductionOnly, bool NeedsScore, string Description, bool HasDirection = true);
