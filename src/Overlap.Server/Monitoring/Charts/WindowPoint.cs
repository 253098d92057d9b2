namespace Overlap.Server.Monitoring.Charts;

/// <summary>
/// One window of the volume, latency and cost charts; null where the window has no such figure (what a chart draws
/// goes to plotly.js as JSON, which has no NaN).
/// </summary>
/// <param name="Start">The window's start.</param>
/// <param name="Predictions">Predictions in the window.</param>
/// <param name="Labelled">Those with a label.</param>
/// <param name="LatencyP50">Median latency, ms.</param>
/// <param name="LatencyP95">95th percentile latency, ms.</param>
/// <param name="LatencyP99">99th percentile latency, ms.</param>
/// <param name="CallCost">What the window's calls cost, summed as the predictions sent it.</param>
/// <param name="MistakeCostPer1000">What the window's mistakes cost per 1,000 labelled decisions, in the contract's currency.</param>
public sealed record WindowPoint(
    DateTimeOffset Start,
    int Predictions,
    int Labelled,
    double? LatencyP50,
    double? LatencyP95,
    double? LatencyP99,
    double? CallCost,
    double? MistakeCostPer1000
);
