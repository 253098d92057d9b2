using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Privacy;

/// <summary>
/// Applies each contract's <c>privacy.retention</c> once an hour (on <see cref="ServerOptions.Time"/>, so tests move a
/// fake clock): the inputs and outputs of predictions older than the period are cleared (<see cref="IRawRetention"/>),
/// while scores, labels, segments and the stored window reports stay. A store without it makes this a no-op; a
/// failure is logged and tried again at the next hour, and the data waits that long more.
/// </summary>
internal sealed partial class RetentionService(
    IServiceProvider services,
    ContractRegistry features,
    ServerOptions options,
    AuditTrail audit,
    ILogger<RetentionService> logger
) : BackgroundService
{
    /// <summary>How often retention runs.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stores = services.GetServices<IRawRetention>().ToList();
        if (stores.Count == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, options.Time, stoppingToken).ConfigureAwait(false);
                await RunAsync(stores, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e.Message);
            }
        }
    }

    /// <summary>Clears what every contract's retention says is due now, in every store that keeps raw values.</summary>
    public async Task RunAsync(IReadOnlyList<IRawRetention> stores, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        foreach (var feature in features.Names)
        {
            if (features.Find(feature)?.Privacy?.Retention is not { } retention)
            {
                continue;
            }
            long cleared = 0;
            foreach (var store in stores)
            {
                cleared += await store.ClearRawAsync(feature, now - retention, cancellationToken).ConfigureAwait(false);
            }
            if (cleared > 0)
            {
                LogCleared(logger, cleared, feature, retention.TotalDays);
                await audit
                    .RecordSystemAsync(
                        AuditActions.Delete,
                        $"inputs and outputs of {feature} older than its retention",
                        feature,
                        string.Create(
                            System.Globalization.CultureInfo.InvariantCulture,
                            $"cleared {(cleared == 1 ? "1 prediction or review item" : $"{cleared} predictions and review items")} from before {(now - retention):yyyy-MM-dd HH:mm} UTC ({retention.TotalDays:0.##} days)"
                        ),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Cleared the inputs and outputs of {Count} stored predictions and review items of {Feature} older than its retention ({Days} days)."
    )]
    private static partial void LogCleared(ILogger logger, long count, string feature, double days);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Applying the contracts' retention failed ({Reason}); it runs again in an hour."
    )]
    private static partial void LogFailed(ILogger logger, string reason);
}
