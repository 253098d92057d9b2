namespace Overlap.Core.Metrics;

/// <summary>The metrics of every value of one segment column.</summary>
/// <param name="Column">The segment column's name.</param>
/// <param name="Values">One entry per value, in code order (a value with no examples has N = 0 and NaN metrics).</param>
internal sealed record SegmentMetrics(string Column, IReadOnlyList<GroupMetrics> Values);
