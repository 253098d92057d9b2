using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Records when each key was last used, off the request path: a request only notes the key in memory, at most once
/// per <see cref="Every"/> per key, and this background service writes the notes to the store.
/// </summary>
internal sealed partial class KeyUsage(IUserStore store, ServerOptions options, ILogger<KeyUsage> logger)
    : BackgroundService
{
    /// <summary>How stale a key's last-used time may be.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    // The last time noted per key id: bounded by the number of keys, since only valid keys are noted.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _noted = new(StringComparer.Ordinal);

    // Bounded, and a full queue drops the note: a last-used time a minute late matters less than a request's latency.
    private readonly Channel<(string Id, DateTimeOffset At)> _pending = Channel.CreateBounded<(string, DateTimeOffset)>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true }
    );

    /// <summary>Notes that the key was used now.</summary>
    public void Used(string id)
    {
        var now = options.Time.GetUtcNow();
        if (_noted.TryGetValue(id, out var last) && now - last < Every)
        {
            return;
        }
        _noted[id] = now;
        _pending.Writer.TryWrite((id, now));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (id, at) in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await store.TouchKeyAsync(id, at, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A last-used time not written is not worth stopping for; the next use writes it again.
                _noted.TryRemove(id, out _);
                LogNotWritten(logger, id, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last use of key {Id} was not recorded")]
    private static partial void LogNotWritten(ILogger logger, string id, Exception exception);
}
