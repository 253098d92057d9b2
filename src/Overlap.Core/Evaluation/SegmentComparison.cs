namespace Overlap.Core.Evaluation;

/// <summary>One segment value compared between two runs, metric by metric (only where both runs have the value).</summary>
/// <param name="Column">The segment column.</param>
/// <param name="Value">The segment value.</param>
/// <param name="NA">Run A's examples with this value (null when none).</param>
/// <param name="NB">Run B's examples with this value (null when none).</param>
/// <param name="Metrics">Each metric compared.</param>
public sealed record SegmentComparison(
    string Column,
    string Value,
    long? NA,
    long? NB,
    IReadOnlyList<MetricComparison> Metrics
);
