using Overlap.Client;
using Overlap.Events;

namespace Overlap.Guard.Tests;

/// <summary>
/// The real <see cref="OverlapClient"/>, sending to a real server, that also keeps every prediction it is handed: the
/// server does not store a prediction's <c>workflow</c> yet (the event format gains it in a parallel change), so the
/// tests read the trace here and everything else from the store.
/// </summary>
internal sealed class RecordingClient(OverlapClient inner) : IOverlapClient
{
    private readonly List<PredictionEvent> _predictions = [];

    public IReadOnlyList<PredictionEvent> Predictions
    {
        get
        {
            lock (_predictions)
            {
                return [.. _predictions];
            }
        }
    }

    public void LogPrediction(PredictionEvent prediction)
    {
        lock (_predictions)
        {
            _predictions.Add(prediction);
        }
        inner.LogPrediction(prediction);
    }

    public void LogOutcome(OutcomeEvent outcome) => inner.LogOutcome(outcome);

    public void LogFeedback(FeedbackEvent feedback) => inner.LogFeedback(feedback);

    public void LogBusiness(BusinessEvent business) => inner.LogBusiness(business);

    public OverlapClientStats Stats => inner.Stats;

    public Task FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
