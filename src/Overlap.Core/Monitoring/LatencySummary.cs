namespace Overlap.Core.Monitoring;

/// <summary>Latency percentiles in milliseconds (numpy's default linear interpolation) over the predictions that sent one.</summary>
public sealed record LatencySummary(long N, double P50, double P95, double P99);
