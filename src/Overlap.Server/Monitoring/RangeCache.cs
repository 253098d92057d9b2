using Overlap.Core.Estimation;
using Overlap.Core.Monitoring;

namespace Overlap.Server.Monitoring;

/// <summary>
/// Merged ranges kept in memory, bounded, until a prediction or label in the range changes; and, per feature, contract
/// version, resamples and range length, the latest kept, which a page shows while the range moved on with the clock.
/// </summary>
internal sealed class RangeCache : IDisposable
{
    /// <summary>The most merged ranges kept (each a report of a few kilobytes to a few hundred).</summary>
    public const int Limit = 256;

    private readonly FigureMemory _memory = new(Limit * 2);

    /// <summary>The range as last merged; null when it was not.</summary>
    public MergedRange? Find(RangeKey key) => _memory.TryGet<MergedRange>(key, out var kept) ? kept : null;

    /// <summary>The latest range kept with the same feature, version, resamples and length as <paramref name="key"/>.</summary>
    public MergedRange? Latest(RangeKey key) =>
        _memory.TryGet<MergedRange>(LatestKey.Of(key), out var kept) ? kept : null;

    /// <summary>Keeps a merged range; it becomes the latest of its length unless a later one is kept.</summary>
    public void Keep(RangeKey key, MergedRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        _memory.Set(key.Feature, key, range);
        var latest = LatestKey.Of(key);
        if (!_memory.TryGet<MergedRange>(latest, out var kept) || kept.To <= range.To)
        {
            _memory.Set(key.Feature, latest, range);
        }
    }

    /// <summary>Forgets every range of <paramref name="feature"/> (its calibration changed).</summary>
    public void Forget(string feature) => _memory.Forget(feature);

    public void Dispose() => _memory.Dispose();

    private readonly record struct LatestKey(string Feature, int Version, int Resamples, TimeSpan Length)
    {
        public static LatestKey Of(RangeKey key) => new(key.Feature, key.Version, key.Resamples, key.To - key.From);
    }
}

/// <summary>A feature's range [<see cref="From"/>, <see cref="To"/>) by contract version and bootstrap resamples.</summary>
internal readonly record struct RangeKey(
    string Feature,
    int Version,
    DateTimeOffset From,
    DateTimeOffset To,
    int Resamples
);

/// <summary>
/// A merged range: the change number it reflects (-1 when it took the open window as last computed), the calibration its
/// estimates used, the report, how long the merge took, and the range's end.
/// </summary>
internal sealed record MergedRange(
    long Change,
    ScoreCalibration Calibration,
    RangeReport Report,
    TimeSpan Took,
    DateTimeOffset To
);
