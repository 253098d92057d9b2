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

    /// <summary>
    /// The arm of an experiment <paramref name="unit"/> is in, as the server assigns it (see
    /// <see cref="OverlapClient.AssignAsync"/>). A client of another kind that does not assign says so.
    /// </summary>
    Task<Overlap.Events.Experiments.ExperimentArm> AssignAsync(
        string experiment,
        string unit,
        CancellationToken cancellationToken = default
    ) =>
        throw new NotSupportedException(
            $"{GetType().Name} does not assign experiments; use OverlapClient (services.AddOverlap registers one)"
        );

    /// <summary>Waits until every event logged before the call is sent, rejected or dropped.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
