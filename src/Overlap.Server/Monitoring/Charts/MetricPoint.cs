namespace Overlap.Server.Monitoring.Charts;

/// <summary>
/// One window of a metric chart: the realised figure and the estimate, each with its interval; null when missing
/// (what a chart draws goes to plotly.js as JSON, which has no NaN).
/// </summary>
public sealed record MetricPoint(
    DateTimeOffset Start,
    double? Realised,
    double? RealisedLow,
    double? RealisedHigh,
    double? Estimated,
    double? EstimatedLow,
    double? EstimatedHigh
);
