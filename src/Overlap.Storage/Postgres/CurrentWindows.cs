namespace Overlap.Storage.Postgres;

/// <summary>A stored window report's start, the change number it was computed at, and its stamp (when it was computed, microseconds).</summary>
internal readonly record struct StoredStamp(DateTimeOffset Start, long AsOf, long Computed);

/// <summary>
/// Which stored window reports are still current when the reports and the events live in different stores: a report is
/// current while no hour of its window changed after the change number it was computed at, which the event store answers
/// (<see cref="IEventReader.ChangeInRangeAsync"/>). The windows are asked about in halves: one question for a run of
/// windows none of which changed, so a month of unchanged daily windows costs one query, and a changed window a few more.
/// </summary>
internal static class CurrentWindows
{
    /// <summary>The reports among <paramref name="stored"/> (ordered by start) that are still current.</summary>
    public static async Task<IReadOnlyList<StoredStamp>> FindAsync(
        IEventReader events,
        string feature,
        IReadOnlyList<StoredStamp> stored,
        TimeSpan window,
        CancellationToken cancellationToken
    )
    {
        var current = new List<StoredStamp>();
        await KeepAsync(0, stored.Count).ConfigureAwait(false);
        return current;

        async Task KeepAsync(int first, int end)
        {
            if (first >= end)
            {
                return;
            }
            // A run of windows is current together when nothing from its first start to its last end changed after the
            // oldest computation among them; otherwise each half is asked about, down to single windows.
            var change = await events
                .ChangeInRangeAsync(feature, stored[first].Start, stored[end - 1].Start + window, cancellationToken)
                .ConfigureAwait(false);
            var oldest = long.MaxValue;
            for (var i = first; i < end; i++)
            {
                oldest = Math.Min(oldest, stored[i].AsOf);
            }
            if (change <= oldest)
            {
                for (var i = first; i < end; i++)
                {
                    current.Add(stored[i]);
                }
                return;
            }
            if (end - first == 1)
            {
                return;
            }
            var middle = (first + end) / 2;
            await KeepAsync(first, middle).ConfigureAwait(false);
            await KeepAsync(middle, end).ConfigureAwait(false);
        }
    }
}
