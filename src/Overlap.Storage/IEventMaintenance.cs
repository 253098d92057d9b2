namespace Overlap.Storage;

/// <summary>
/// Housekeeping an event store needs now and then, run by the server in the background (hourly): on ClickHouse, merging
/// the partitions of ended months so their reads count each event once without <c>FINAL</c>. Every call is idempotent
/// and cheap when nothing changed, so several instances may run it. The embedded store needs none and has none.
/// </summary>
public interface IEventMaintenance
{
    /// <summary>Does what is due at <paramref name="now"/>; returns how many pieces of work it did (partitions merged).</summary>
    Task<int> MaintainAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
