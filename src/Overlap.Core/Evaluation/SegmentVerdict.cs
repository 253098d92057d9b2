namespace Overlap.Core.Evaluation;

/// <summary>One segment value's verdict under a per-segment requirement.</summary>
/// <param name="Segment">The segment value.</param>
/// <param name="Verdict">Its verdict.</param>
/// <param name="Value">The figure judged (the metric, or the gap for max_gap).</param>
/// <param name="CiLow">Lower bound.</param>
/// <param name="CiHigh">Upper bound.</param>
/// <param name="N">Examples behind the figure.</param>
public sealed record SegmentVerdict(string Segment, Verdict Verdict, double Value, double CiLow, double CiHigh, long N);
