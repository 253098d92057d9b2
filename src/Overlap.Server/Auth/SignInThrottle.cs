using System.Collections.Concurrent;

namespace Overlap.Server.Auth;

/// <summary>
/// Slows guessing: after <see cref="MaxFailures"/> wrong passwords for one name within <see cref="Window"/>, that name
/// is refused (right password or not) until the oldest of those failures is <see cref="Window"/> old. Kept in memory,
/// per name in any case, on the server's clock.
/// </summary>
internal sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Above this many names, names without a recent failure are dropped, so made-up names cannot fill memory.</summary>
    private const int MaxNames = 10_000;

    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the name is refused for, or null when it may try.</summary>
    public TimeSpan? Refused(string name)
    {
        if (!_failures.TryGetValue(name, out var failures))
        {
            return null;
        }
        var now = time.GetUtcNow();
        lock (failures)
        {
            failures.RemoveAll(f => f <= now - Window);
            return failures.Count >= MaxFailures ? failures[^MaxFailures] + Window - now : null;
        }
    }

    /// <summary>Counts a wrong password for the name.</summary>
    public void Failed(string name)
    {
        if (_failures.Count >= MaxNames)
        {
            Prune();
        }
        var failures = _failures.GetOrAdd(name, _ => []);
        lock (failures)
        {
            failures.Add(time.GetUtcNow());
        }
    }

    /// <summary>A right password clears the name's failures.</summary>
    public void Succeeded(string name) => _failures.TryRemove(name, out _);

    private void Prune()
    {
        var cut = time.GetUtcNow() - Window;
        foreach (var (name, failures) in _failures)
        {
            lock (failures)
            {
                if (failures.Count == 0 || failures[^1] <= cut)
                {
                    _failures.TryRemove(name, out _);
                }
            }
        }
    }
}
