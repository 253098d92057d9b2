namespace Overlap.Samples.MailPreview.Production;

/// <summary>
/// The mail application's clock during the replay: it reads the time each email arrived (set before each call), so
/// every preview is logged at its email's date; elapsed time (the latency) is measured on the real clock.
/// </summary>
internal sealed class ReplayClock : TimeProvider
{
    /// <summary>The time the clock reads.</summary>
    public DateTimeOffset Now { get; set; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The server's clock: it starts at <paramref name="start"/> (the morning after the last replayed email) and runs at
/// the real pace, so the replayed days are the server's recent past and its timers fire as usual.
/// </summary>
internal sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _started = System.GetTimestamp();

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(_started);
}
