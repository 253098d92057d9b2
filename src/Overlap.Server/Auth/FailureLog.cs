using System.Collections.Concurrent;

namespace Overlap.Server.Auth;

/// <summary>
/// Recent failures per key (a client address, a user name), in memory on the server's clock, kept for
/// <see cref="Window"/>. Above <see cref="MaxKeys"/> keys, keys without a recent failure are dropped, so made-up
/// names or addresses cannot fill memory.
/// </summary>
internal sealed class FailureLog(TimeProvider time, TimeSpan window)
{
    private const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _failures = new(
        StringComparer.OrdinalIgnoreCase
    );

    /// <summary>How long a failure is remembered.</summary>
    public TimeSpan Window => window;

    /// <summary>The key's failures within the window, oldest first.</summary>
    public DateTimeOffset[] Recent(string key)
    {
        if (!_failures.TryGetValue(key, out var failures))
        {
            return [];
        }
        var now = time.GetUtcNow();
        lock (failures)
        {
            failures.RemoveAll(f => f <= now - window);
            return [.. failures];
        }
    }

    /// <summary>Counts a failure for the key, now.</summary>
    public void Add(string key)
    {
        if (_failures.Count >= MaxKeys)
        {
            Prune();
        }
        var failures = _failures.GetOrAdd(key, _ => []);
        lock (failures)
        {
            failures.Add(time.GetUtcNow());
        }
    }

    /// <summary>Forgets the key's failures.</summary>
    public void Clear(string key) => _failures.TryRemove(key, out _);

    private void Prune()
    {
        var cut = time.GetUtcNow() - window;
        foreach (var (key, failures) in _failures)
        {
            lock (failures)
            {
                if (failures.Count == 0 || failures[^1] <= cut)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }
}
