using Overlap.Core.Timestamps;

namespace Overlap.Storage;

/// <summary>How a store cuts a range of predictions into chunks for <see cref="IEventReader.ReadPredictionChunksAsync"/>.</summary>
internal static class PredictionChunks
{
    /// <summary>A minute in microseconds: chunks are cut on whole minutes.</summary>
    public const long MinuteUs = 60_000_000;

    /// <summary>
    /// Consecutive slices covering [<paramref name="from"/>, <paramref name="to"/>) exactly, each holding at most
    /// <paramref name="chunkRows"/> predictions by <paramref name="minutes"/> (minute number since the epoch, ascending,
    /// and its count) unless one minute alone holds more; no slice for a range without predictions.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Slices(
        IReadOnlyList<(long Minute, long Count)> minutes,
        DateTimeOffset from,
        DateTimeOffset to,
        int chunkRows
    )
    {
        ArgumentNullException.ThrowIfNull(minutes);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        if (minutes.Count == 0)
        {
            return [];
        }
        var slices = new List<(DateTimeOffset, DateTimeOffset)>();
        var start = from;
        long rows = 0;
        foreach (var (minute, count) in minutes)
        {
            var at = UnixMicroseconds.ToTime(minute * MinuteUs);
            if (rows > 0 && rows + count > chunkRows && at > start && at < to)
            {
                slices.Add((start, at));
                (start, rows) = (at, 0);
            }
            rows += count;
        }
        slices.Add((start, to));
        return slices;
    }
}
