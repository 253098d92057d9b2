using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Core.Experiments;
using Overlap.Core.Monitoring;
using Overlap.Server.Alerts;
using Overlap.Server.Ingest;

namespace Overlap.Server.Experiments;

/// <summary>
/// Judges every experiment every <see cref="ServerOptions.ExperimentCheckInterval"/> on the server's clock (at its
/// whole multiples: every 10 minutes is :00, :10, :20…) and keeps its
/// decision as the feature's alert check "experiment NAME": <c>rollback</c> and <c>stop</c> are the alert state,
/// <c>rollout</c> is ok, <c>running</c> a warning (not clear yet). A change of decision is recorded in the alert history
/// and sent to the contract's webhooks with the experiment's facts, so a deployment tool can roll back on it. An
/// experiment the contract says has <c>ended</c> is no longer judged.
/// </summary>
internal sealed partial class ExperimentWatcher(
    ExperimentReader reader,
    AlertService alerts,
    LogLoader loader,
    ServerOptions options,
    ILogger<ExperimentWatcher> logger
) : BackgroundService
{
    /// <summary>The alert check that carries an experiment's decision.</summary>
    public static string CheckName(string experiment) => $"experiment {experiment}";

    /// <summary>The alert state of a decision.</summary>
    public static AlertState StateOf(ExperimentDecision decision) =>
        decision switch
        {
            ExperimentDecision.Rollout => AlertState.Ok,
            ExperimentDecision.Running => AlertState.Warning,
            _ => AlertState.Alert,
        };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<FoundExperiment> experiments;
            try
            {
                await Task.Delay(
                        UntilNextMark(options.Time.GetUtcNow(), options.ExperimentCheckInterval),
                        options.Time,
                        stoppingToken
                    )
                    .ConfigureAwait(false);
                // An ended experiment keeps the decision it was ended on; nothing more is judged or paged.
                experiments = [.. reader.All().Where(e => e.Spec.Ended is null)];
                if (experiments.Count == 0)
                {
                    continue;
                }
                await loader.CatchUpAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, "every experiment", e);
                continue;
            }
            foreach (var found in experiments)
            {
                try
                {
                    await JudgeAsync(found, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // One experiment's failure is logged and tried again next time; the others are judged as usual.
                    LogFailed(logger, found.Spec.Name, e);
                }
            }
        }
    }

    /// <summary>
    /// How long from <paramref name="now"/> to the next whole multiple of <paramref name="interval"/> on the clock (every
    /// 10 minutes: at :00, :10, :20…), so experiments are judged at the same moments whenever the server started.
    /// </summary>
    public static TimeSpan UntilNextMark(DateTimeOffset now, TimeSpan interval)
    {
        var ticks = Math.Max(interval.Ticks, TimeSpan.TicksPerSecond);
        var next = ((now.UtcTicks / ticks) + 1) * ticks;
        return TimeSpan.FromTicks(next - now.UtcTicks);
    }

    /// <summary>Judges one experiment now and records its decision.</summary>
    public async Task JudgeAsync(FoundExperiment found, CancellationToken cancellationToken)
    {
        var report = await reader.AnalyzeAsync(found, estimate: false, cancellationToken).ConfigureAwait(false);
        var summary = ExperimentSummary.Of(found, report);
        var now = options.Time.GetUtcNow();
        var start = now - report.Elapsed;
        var check = new CheckResult(
            CheckName(found.Spec.Name),
            StateOf(report.Decision),
            summary.Statement,
            start,
            now
        );
        var facts = new WebhookExperiment(
            summary.Experiment,
            summary.Decision,
            summary.Control,
            summary.Treatment,
            summary.Reasons
        );
        await alerts
            .RecordAsync(
                found.Contract.Feature,
                start,
                [(check, facts)],
                found.Contract.Monitoring?.AlertWebhooks ?? [],
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Judging experiment {Experiment} failed; it is tried again later")]
    private static partial void LogFailed(ILogger logger, string experiment, Exception exception);
}
