using Overlap.Core.Monitoring;

namespace Overlap.Server.Monitoring;

/// <summary>
/// Window reports kept in memory, bounded: closed windows' stored reports parsed (kept while their stamp in the store is
/// unchanged, so a read costs a look at the stamps, not a transfer and a parse) and open windows as last computed (what a
/// dashboard page shows while a fresh one is computed in the background).
/// </summary>
internal sealed class WindowCache : IDisposable
{
    /// <summary>The most windows kept (a month of daily windows, closed and open, for a few dozen features).</summary>
    public const int Limit = 2048;

    private readonly FigureMemory _memory = new(Limit);

    /// <summary>The stored report of a closed window, parsed, when it is kept with <paramref name="stamp"/> (and a summary, when one is needed).</summary>
    public (WindowReport Report, WindowSummary? Summary)? Stored(ClosedWindowKey key, long stamp, bool summary) =>
        _memory.TryGet<StoredWindow>(key, out var kept) && kept.Stamp == stamp && (!summary || kept.Summary is not null)
            ? (kept.Report, kept.Summary)
            : null;

    /// <summary>Keeps a closed window's stored report, parsed, with its stamp.</summary>
    public void KeepStored(ClosedWindowKey key, long stamp, WindowReport report, WindowSummary? summary) =>
        _memory.Set(key.Feature, key, new StoredWindow(stamp, report, summary));

    /// <summary>The open window as last computed, with when and how long it took; null when it was never computed.</summary>
    public OpenWindow? Open(OpenWindowKey key) => _memory.TryGet<OpenWindow>(key, out var kept) ? kept : null;

    /// <summary>Keeps the open window as just computed.</summary>
    public void KeepOpen(OpenWindowKey key, OpenWindow window) => _memory.Set(key.Feature, key, window);

    /// <summary>Forgets every window of <paramref name="feature"/> (its calibration changed).</summary>
    public void Forget(string feature) => _memory.Forget(feature);

    public void Dispose() => _memory.Dispose();

    private sealed record StoredWindow(long Stamp, WindowReport Report, WindowSummary? Summary);
}

/// <summary>A closed window of a feature, by start, length, contract version and bootstrap resamples.</summary>
internal readonly record struct ClosedWindowKey(
    string Feature,
    DateTimeOffset Start,
    TimeSpan Length,
    int Version,
    int Resamples
);

/// <summary>The open window of a feature, by contract version, start and bootstrap resamples.</summary>
internal readonly record struct OpenWindowKey(string Feature, int Version, DateTimeOffset Start, int Resamples);

/// <summary>An open window's report and summary as computed at <see cref="At"/>, which took <see cref="Took"/>.</summary>
internal sealed record OpenWindow(DateTimeOffset At, WindowReport Report, WindowSummary Summary, TimeSpan Took);
