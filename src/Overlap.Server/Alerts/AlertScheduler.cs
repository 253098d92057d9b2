using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Core.Evaluation;
using Overlap.Server.Contracts;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Alerts;

/// <summary>
/// Computes and stores each feature's window when it closes, and evaluates its alerts when a window's labels fall due
/// (the window closed, plus the contract's label delay), on the server's clock. It wakes at the next due time of any feature, or after a minute to pick up new
/// contracts, and evaluates each feature whose due window moved on since it last looked.
/// </summary>
internal sealed partial class AlertScheduler(
    IContractStore store,
    FeatureMonitor monitor,
    ContractRegistry contracts,
    AlertService alerts,
    ServerOptions options,
    ILogger<AlertScheduler> logger
) : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, DateTimeOffset> _evaluated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _computed = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = MaxSleep;
            IReadOnlyList<string> features = [];
            try
            {
                features = await store.ListFeaturesAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogEvaluationFailed(logger, "every feature", e);
            }
            foreach (var feature in features)
            {
                try
                {
                    if (await WakeAsync(feature, stoppingToken).ConfigureAwait(false) is { } next && next < sleep)
                    {
                        sleep = next;
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // One feature's failure (a contract that no longer reads, a window that cannot be computed) is
                    // logged and tried again at the next wake; the other features are evaluated as usual.
                    LogEvaluationFailed(logger, feature, e);
                }
            }
            try
            {
                await Task.Delay(sleep, options.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Computes the feature's window that just closed and evaluates the one due; the time until its next is due, if any.</summary>
    private async Task<TimeSpan?> WakeAsync(string feature, CancellationToken stoppingToken)
    {
        var now = options.Time.GetUtcNow();
        if (contracts.Current(feature) is not var (contract, version, _))
        {
            return null;
        }
        var length = FeatureMonitor.WindowLength(contract);
        var delay = contract.Monitoring?.LabelDelay ?? TimeSpan.Zero;
        // The window that just closed is computed and stored once, so the metrics view reads it back.
        var closed = AlertService.DueWindow(length, TimeSpan.Zero, now);
        if (!_computed.TryGetValue(feature, out var lastClosed) || lastClosed != closed)
        {
            await monitor
                .ReportAsync(contract, version, [(closed, closed + length)], new EvaluationOptions(), stoppingToken)
                .ConfigureAwait(false);
            _computed[feature] = closed;
        }
        var due = AlertService.DueWindow(length, delay, now);
        if (!_evaluated.TryGetValue(feature, out var last) || last != due)
        {
            await alerts.EvaluateAsync(feature, due, stoppingToken).ConfigureAwait(false);
            _evaluated[feature] = due;
        }
        // The next window falls due when it has closed and its label delay has passed.
        var next = due + length + length + delay - now;
        return next > TimeSpan.Zero ? next : null;
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Evaluating the alerts of {Feature} failed; trying again at the next wake"
    )]
    private static partial void LogEvaluationFailed(ILogger logger, string feature, Exception exception);
}
