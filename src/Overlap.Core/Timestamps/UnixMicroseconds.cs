namespace Overlap.Core.Timestamps;

/// <summary>
/// The one encoding of a stored time: whole microseconds since the Unix epoch (UTC). Every store keeps times this way,
/// the ingest log stamps frames with it, and ids derived from a time use it, so a time written and read back is the same.
/// </summary>
public static class UnixMicroseconds
{
    /// <summary>Microseconds since the Unix epoch, UTC (finer ticks are cut off).</summary>
    public static long From(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The time <paramref name="microseconds"/> after the Unix epoch, with offset zero: the inverse of <see cref="From"/>.</summary>
    public static DateTimeOffset ToTime(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);

    /// <summary>A length of time in whole microseconds (a window's width as stored).</summary>
    public static long Of(TimeSpan span) => span.Ticks / 10;

    /// <summary>A time as it reads back once stored: cut to the microsecond.</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => ToTime(From(time));
}
