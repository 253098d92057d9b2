using Overlap.Events;

namespace Overlap.Client;

/// <summary>
/// Sends events to Overlap in the background. Every Log method returns at once and never throws: an event that
/// cannot be queued is dropped and counted in <see cref="Stats"/>.
/// </summary>
public interface IOverlapClient : IAsyncDisposable
{
    /// <summary>Queues a prediction.</summary>
    void LogPrediction(PredictionEvent prediction);

    /// <summary>Queues the true label of a prediction.</summary>
    void LogOutcome(OutcomeEvent outcome);

    /// <summary>Queues a user's reaction to a prediction.</summary>
    void LogFeedback(FeedbackEvent feedback);

    /// <summary>Queues a business result.</summary>
    void LogBusiness(BusinessEvent business);

    /// <summary>What happened to the events so far.</summary>
    OverlapClientStats Stats { get; }

    /// <summary>Waits until every event logged before the call is sent, rejected or dropped.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
