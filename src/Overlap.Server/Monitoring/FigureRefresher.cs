using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Overlap.Server.Monitoring;

/// <summary>
/// Computes figures a dashboard page showed stale (the open window, a range whose data changed) in the background, one at
/// a time, as a hosted service: each computation gets the host's stopping token, and stopping waits for the one running,
/// so nothing runs on after the store is closed.
/// </summary>
internal sealed partial class FigureRefresher(ILogger<FigureRefresher> logger) : BackgroundService
{
    private readonly Channel<(object Figure, Func<CancellationToken, Task> Compute)> _queue = Channel.CreateUnbounded<(
        object,
        Func<CancellationToken, Task>
    )>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _gate = new();

    /// <summary>The figures queued or being computed, so each has one computation at a time.</summary>
    private readonly HashSet<object> _pending = [];

    /// <summary>Queues <paramref name="compute"/> for <paramref name="figure"/>; false when that figure is queued or being computed already.</summary>
    public bool TryQueue(object figure, Func<CancellationToken, Task> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        lock (_gate)
        {
            if (!_pending.Add(figure))
            {
                return false;
            }
        }
        return _queue.Writer.TryWrite((figure, compute));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (figure, compute) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await compute(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The kept figure stays on the page; the next view after FeatureMonitor.FreshFor tries again.
                    LogRefreshFailed(logger, figure.ToString() ?? "", e);
                }
                finally
                {
                    lock (_gate)
                    {
                        _pending.Remove(figure);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping: what was not computed is computed again on the next view after a start.
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Refreshing {Figure} in the background failed; the dashboard shows the previous figure until the next try"
    )]
    private static partial void LogRefreshFailed(ILogger logger, string figure, Exception exception);
}
