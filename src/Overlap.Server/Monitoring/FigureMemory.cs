using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Overlap.Server.Monitoring;

/// <summary>
/// A bounded memory of computed figures (<see cref="MemoryCache"/> with a size limit: past it the least recently used are
/// let go, not everything at once), each belonging to a feature, so a recalibration forgets that feature's figures only.
/// </summary>
internal sealed class FigureMemory(long limit) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = limit });

    /// <summary>Per feature, the token whose cancellation expires every figure of that feature.</summary>
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _features = new(StringComparer.Ordinal);

    /// <summary>The figure kept under <paramref name="key"/>, if any.</summary>
    public bool TryGet<T>(object key, out T value)
    {
        if (_cache.TryGetValue(key, out var kept) && kept is T figure)
        {
            value = figure;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> under <paramref name="key"/> as a figure of <paramref name="feature"/>.</summary>
    public void Set<T>(string feature, object key, T value)
    {
        var forget = _features.GetOrAdd(feature, _ => new CancellationTokenSource());
        _cache.Set(
            key,
            value,
            new MemoryCacheEntryOptions { Size = 1 }.AddExpirationToken(new CancellationChangeToken(forget.Token))
        );
    }

    /// <summary>Forgets every figure of <paramref name="feature"/>.</summary>
    public void Forget(string feature)
    {
        if (_features.TryRemove(feature, out var forget))
        {
            forget.Cancel();
        }
    }

    public void Dispose()
    {
        _cache.Dispose();
        foreach (var forget in _features.Values)
        {
            forget.Dispose();
        }
    }
}
