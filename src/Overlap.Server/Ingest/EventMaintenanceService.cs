using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Storage;

namespace Overlap.Server.Ingest;

/// <summary>
/// Runs the event store's housekeeping (<see cref="IEventMaintenance"/>) once an hour, from a minute after start; a
/// store without any (the embedded one) makes this a no-op. A failure is logged and tried again at the next hour: the
/// work only makes reads cheaper, never more correct.
/// </summary>
internal sealed partial class EventMaintenanceService(
    IServiceProvider services,
    ServerOptions options,
    ILogger<EventMaintenanceService> logger
) : BackgroundService
{
    /// <summary>How often the housekeeping runs.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IEventMaintenance>() is not { } maintenance)
        {
            return;
        }
        var wait = TimeSpan.FromMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, options.Time, stoppingToken).ConfigureAwait(false);
                var done = await maintenance
                    .MaintainAsync(options.Time.GetUtcNow(), stoppingToken)
                    .ConfigureAwait(false);
                if (done > 0)
                {
                    LogMaintained(logger, done);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e.Message);
            }
            wait = Period;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merged {Count} ended partitions of the event store.")]
    private static partial void LogMaintained(ILogger logger, int count);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "The event store's hourly housekeeping failed ({Reason}); it runs again in an hour."
    )]
    private static partial void LogFailed(ILogger logger, string reason);
}
