namespace Overlap.Storage;

/// <summary>
/// The report cache: each closed window's report (JSON) and mergeable summary, kept with the change number it was
/// computed at, and read back while no prediction or label in the window's hours changed after it.
/// </summary>
public interface IWindowReportStore
{
    /// <summary>
    /// The windows starting in [<paramref name="from"/>, <paramref name="to"/>) whose stored report is still current (no
    /// prediction or label in their hours changed after it was computed), by window start, with when each was computed
    /// (microseconds since the epoch): a stored report is the same while this stamp is.
    /// </summary>
    Task<IReadOnlyDictionary<DateTimeOffset, long>> CurrentWindowStampsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan window,
        int contractVersion,
        int resamples,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The stored reports (JSON) of the windows starting at <paramref name="starts"/>, with their mergeable summaries when
    /// <paramref name="summaries"/>, and the stamp of each (see <see cref="CurrentWindowStampsAsync"/>). By window start.
    /// </summary>
    Task<IReadOnlyDictionary<DateTimeOffset, StoredWindow>> WindowReportsAsync(
        string feature,
        IReadOnlyCollection<DateTimeOffset> starts,
        TimeSpan window,
        int contractVersion,
        int resamples,
        bool summaries,
        CancellationToken cancellationToken = default
    );

    /// <summary>Stores a window's report (JSON) and its mergeable summary as computed at change number <paramref name="asOf"/> (see <see cref="IEventReader.CurrentChangeAsync"/>).</summary>
    Task SaveWindowReportAsync(
        string feature,
        DateTimeOffset start,
        TimeSpan window,
        int contractVersion,
        int resamples,
        long asOf,
        DateTimeOffset computedAt,
        string json,
        byte[]? summary,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Waits until no other computation of this window holds it (in this server or, on a shared store, in any other),
    /// then holds it until the returned hold is disposed: a closed window is computed by one server at a time, and one
    /// that waited reads the report the other stored instead of computing it again.
    /// </summary>
    Task<IAsyncDisposable> HoldWindowAsync(
        string feature,
        DateTimeOffset start,
        TimeSpan window,
        int contractVersion,
        int resamples,
        CancellationToken cancellationToken = default
    );
}
