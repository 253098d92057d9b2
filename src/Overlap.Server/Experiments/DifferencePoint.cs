namespace Overlap.Server.Experiments;

/// <summary>
/// One day of the cumulative difference chart, in the unit it is drawn in (points for a rate): treatment − control
/// and its always-valid interval; null when unknown (what a chart draws goes to plotly.js as JSON, which has no NaN).
/// </summary>
public sealed record DifferencePoint(DateTimeOffset At, double? Estimate, double? Low, double? High);
