using Overlap.Core.Contracts;
using Overlap.Core.Monitoring;
using Overlap.Core.Text;
using Overlap.Server.Contracts;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Alerts;

/// <summary>
/// Judges a window's checks (requirements on the 30 days that end with it, drift on the window) and keeps one state per check. A state change is recorded in the history; entering or
/// leaving the alert state is sent to the contract's webhooks. The same state twice is not news: nothing is recorded
/// or sent again (deduplication).
/// </summary>
internal sealed class AlertService(
    IAlertStore store,
    FeatureMonitor monitor,
    ContractRegistry features,
    WebhookDelivery webhooks,
    ServerOptions options
) : IDisposable
{
    /// <summary>Windows before the judged one that the estimate check looks back over (it judges the last few with labels enough among them).</summary>
    private const int EstimateRecentWindows = 7;

    /// <summary>How many of the latest state changes a reader is shown.</summary>
    public const int HistoryLimit = 200;

    /// <summary>The feature's current check states.</summary>
    public async Task<IReadOnlyList<AlertStateView>> StatesAsync(string feature, CancellationToken cancellationToken) =>
        [
            .. (await store.GetAlertStatesAsync(feature, cancellationToken).ConfigureAwait(false)).Select(
                AlertStateView.Of
            ),
        ];

    /// <summary>The feature's latest <see cref="HistoryLimit"/> state changes, newest first.</summary>
    public async Task<IReadOnlyList<AlertChangeView>> HistoryAsync(
        string feature,
        CancellationToken cancellationToken
    ) =>
        [
            .. (
                await store.ListAlertEventsAsync(feature, HistoryLimit, cancellationToken).ConfigureAwait(false)
            ).Select(AlertChangeView.Of),
        ];

    /// <summary>Serialises evaluations so two at once cannot both see the old state and both announce the new one.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// The window whose labels are due by now: the latest window that closed at least the contract's label delay ago.
    /// </summary>
    public static DateTimeOffset DueWindow(TimeSpan length, TimeSpan labelDelay, DateTimeOffset now) =>
        WindowMonitor.Floor(now - labelDelay, length) - length;

    /// <summary>Evaluates a window (by default the one due now); null when the feature has no contract.</summary>
    public async Task<AlertEvaluation?> EvaluateAsync(
        string feature,
        DateTimeOffset? windowStart,
        CancellationToken cancellationToken
    )
    {
        if (features.Current(feature) is not var (contract, version, _))
        {
            return null;
        }
        var length = FeatureMonitor.WindowLength(contract);
        var start = windowStart is { } asked
            ? WindowMonitor.Floor(asked, length)
            : DueWindow(length, contract.Monitoring?.LabelDelay ?? TimeSpan.Zero, options.Time.GetUtcNow());
        var report = await monitor
            .ReportAsync(contract, version, [(start, start + length)], FeatureHealth.Evaluation, cancellationToken)
            .ConfigureAwait(false);
        // Requirements are judged on the 30 days that end with this window, as the overview and the feature page judge
        // them: a requirement that misses there alerts here, even when no single window has min_samples labels.
        var days = WindowMonitor.Windows(start + length - FeatureHealth.Range30Days, start + length, length);
        var range = await monitor
            .RangeAsync(contract, version, days, FeatureHealth.Evaluation, cancellationToken)
            .ConfigureAwait(false);
        if (contract.Task == TaskKind.Generative)
        {
            // A generative range's rates are its windows' counts added up, as GET /summary has them.
            var windows = await monitor
                .ReportAsync(contract, version, days, FeatureHealth.Evaluation, cancellationToken)
                .ConfigureAwait(false);
            range = range with { Generative = GenerativeRange.Merge(windows.Windows, contract.Confidence) };
        }
        var checks = AlertRules.Evaluate(contract, range, report.Windows[0]).ToList();
        // The estimate is judged on the recent windows up to the one judged, as the feature page judges it.
        var recent = await monitor
            .ReportAsync(
                contract,
                version,
                WindowMonitor.Windows(start - (EstimateRecentWindows * length), start + length, length),
                FeatureHealth.Evaluation,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (recent.EstimateCheck is { } estimate)
        {
            checks.Add(
                EstimateAlert.Judge(estimate, feature) with
                {
                    JudgedFrom = start - (EstimateRecentWindows * length),
                    JudgedTo = start + length,
                }
            );
        }
        var changes = await RecordAsync(
                feature,
                start,
                [.. checks.Select(c => (c, (WebhookExperiment?)null))],
                contract.Monitoring?.AlertWebhooks ?? [],
                cancellationToken
            )
            .ConfigureAwait(false);
        return new AlertEvaluation(
            feature,
            start,
            [
                .. checks.Select(c => new CheckView(
                    c.Check,
                    WireName.Of(c.State),
                    c.Statement,
                    c.JudgedFrom,
                    c.JudgedTo
                )),
            ],
            [.. changes.Select(AlertChangeView.Of)]
        );
    }

    /// <summary>
    /// Saves each check's state (<paramref name="start"/> is the window it judged). A change is recorded in the history
    /// and, when it enters or leaves the alert state or is an experiment's, sent to <paramref name="hooks"/> with the
    /// experiment's facts. Returns the changes.
    /// </summary>
    public async Task<List<AlertEventRecord>> RecordAsync(
        string feature,
        DateTimeOffset start,
        IReadOnlyList<(CheckResult Check, WebhookExperiment? Experiment)> checks,
        IReadOnlyList<string> hooks,
        CancellationToken cancellationToken
    )
    {
        var changes = new List<AlertEventRecord>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = (
                await store.GetAlertStatesAsync(feature, cancellationToken).ConfigureAwait(false)
            ).ToDictionary(s => s.Check, StringComparer.Ordinal);
            var now = options.Time.GetUtcNow();
            foreach (var (check, experiment) in checks)
            {
                var state = check.State;
                var previous = current.TryGetValue(check.Check, out var known) ? known.State : AlertState.NoData;
                await store
                    .SaveAlertStateAsync(
                        new AlertStateRecord(
                            feature,
                            check.Check,
                            state,
                            start,
                            check.Statement,
                            now,
                            check.JudgedFrom,
                            check.JudgedTo
                        ),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                if (state == previous)
                {
                    continue;
                }
                // Entering or leaving the alert state is news; every change of an experiment's decision is.
                var paged =
                    hooks.Count > 0
                    && (experiment is not null || state == AlertState.Alert || previous == AlertState.Alert);
                var change = await store
                    .AddAlertEventAsync(
                        new AlertEventRecord(
                            0,
                            feature,
                            check.Check,
                            state,
                            previous,
                            start,
                            check.Statement,
                            now,
                            paged ? "pending" : "none",
                            0,
                            null,
                            check.JudgedFrom,
                            check.JudgedTo
                        ),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                changes.Add(change);
                if (paged)
                {
                    webhooks.Enqueue(change, hooks, experiment);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
        return changes;
    }

    /// <summary>Releases the gate that keeps one evaluation of a feature at a time.</summary>
    public void Dispose() => _gate.Dispose();
}
