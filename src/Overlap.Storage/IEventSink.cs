using Overlap.Events;

namespace Overlap.Storage;

/// <summary>
/// Where events are written: idempotent appends (an id already stored for its kind and feature is skipped) and the
/// ingest log position reached, kept in the same transaction as the events it covers.
/// </summary>
public interface IEventSink
{
    /// <summary>
    /// Stores events in one transaction; an id already stored (for its kind and feature) is skipped. An outcome,
    /// feedback or business result without a feature takes that of the stored prediction it names. When the task completes
    /// the events are durable.
    /// </summary>
    Task<AppendResult> AppendAsync(
        IReadOnlyList<FeatureEvent> events,
        DateTimeOffset receivedAt,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Stores events loaded from the ingest log and, in the same transaction, the log position they reach, so a
    /// crash between the two can neither lose nor double a batch.
    /// </summary>
    Task<AppendResult> AppendFromLogAsync(
        IReadOnlyList<FeatureEvent> events,
        DateTimeOffset receivedAt,
        long logPosition,
        CancellationToken cancellationToken = default
    );

    /// <summary>The ingest log position loaded so far; null before the first load.</summary>
    Task<long?> GetLogPositionAsync(CancellationToken cancellationToken = default);
}
