using Overlap.Events;
using Overlap.Events.Experiments;

namespace Overlap.Client;

public sealed partial class OverlapClient
{
    /// <summary>
    /// Queues the challenger's prediction of a shadow experiment: the treatment scored the example
    /// <paramref name="served"/> was served for, but its answer was not used. It is recorded as a copy of the served
    /// prediction (same feature, time, inputs and attributes) with the id <c>served.Id + "@shadow"</c>, the treatment's
    /// <paramref name="modelVersion"/> and its own score, decision, latency and cost. Send the label once, for the served
    /// id: the shadow prediction takes it from there. Like every Log method, it returns at once and never throws; a null
    /// <paramref name="served"/> is counted as dropped.
    /// </summary>
    /// <param name="served">The prediction the application served (the control's), as logged.</param>
    /// <param name="modelVersion">The treatment's model version, as the experiment names it.</param>
    /// <param name="score">The treatment's score, if it gives one.</param>
    /// <param name="prediction">The treatment's decision or class, if any.</param>
    /// <param name="latencyMs">How long the treatment took, in milliseconds.</param>
    /// <param name="cost">What the treatment's call cost.</param>
    public void LogShadowPrediction(
        PredictionEvent served,
        string modelVersion,
        double? score = null,
        string? prediction = null,
        double? latencyMs = null,
        double? cost = null
    ) =>
        Enqueue(
            served is null || string.IsNullOrEmpty(served.Id)
                ? null
                : served with
                {
                    Id = ShadowPrediction.Id(served.Id),
                    ModelVersion = modelVersion,
                    Score = score,
                    Prediction = prediction,
                    LatencyMs = latencyMs,
                    Cost = cost,
                }
        );
}
