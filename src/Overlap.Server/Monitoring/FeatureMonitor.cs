using Microsoft.Extensions.Logging;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>
/// Computes a feature's production windows and ranges from the store: what the metrics endpoint shows and the alerts
/// judge. What it computed is kept in <see cref="WindowCache"/> and <see cref="RangeCache"/>; a figure a page may see
/// stale is brought up to date by <see cref="FigureRefresher"/>.
/// </summary>
internal sealed partial class FeatureMonitor(
    IEventReader events,
    IWindowReportStore reportCache,
    ICalibrationStore calibrations,
    LogLoader loader,
    ServerOptions options,
    WindowCache windowsKept,
    RangeCache rangesKept,
    FigureRefresher refresher,
    GenerativeWindows generative,
    ILogger<FeatureMonitor> logger
)
{
    /// <summary>
    /// How old a figure that is still moving (the open window, a range whose data changed) may be when a dashboard page
    /// asks with <c>stale: true</c>: the page gets the kept figure at once and a fresh one is computed in the background.
    /// </summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A figure is refreshed at most once per this many times what it took to compute, so a window of a million rows that
    /// takes 20 s is refreshed every few minutes, not every <see cref="FreshFor"/>: background work stays a small share of a core.
    /// </summary>
    private const int RefreshCostFactor = 10;

    private static bool Due(DateTimeOffset computedAt, TimeSpan took, DateTimeOffset now) =>
        now - computedAt > (took * RefreshCostFactor > FreshFor ? took * RefreshCostFactor : FreshFor);

    /// <summary>
    /// The report over <paramref name="windows"/> (ascending), judged against <paramref name="contract"/>. A closed window
    /// whose report is stored and still current (no prediction or label in it changed since) is read back; the others
    /// are computed from the rows, and stored once closed, so thirty days of history cost thirty reads, not a re-scan.
    /// With <c>stale</c> (a dashboard page), the open window is answered from its last computation (refreshed when
    /// older than <see cref="FreshFor"/>, or longer for a costly window, in the background while the kept one is shown), not recomputed from
    /// its rows on every view.
    /// </summary>
    public async Task<MonitoringReport> ReportAsync(
        Contract contract,
        int version,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows,
        EvaluationOptions evaluation,
        CancellationToken cancellationToken,
        bool stale = false
    )
    {
        var (reports, _, _) = await WindowsAsync(
                contract,
                version,
                windows,
                evaluation,
                summaries: false,
                stale,
                cancellationToken
            )
            .ConfigureAwait(false);
        var basis =
            contract.Task == TaskKind.Binary
                ? (
                    await ReferenceAsync(contract, version, inputs: false, cancellationToken).ConfigureAwait(false)
                ).Basis
                : null;
        return new MonitoringReport
        {
            Feature = contract.Feature,
            ContractVersion = version,
            Window = WindowMonitor.Describe(WindowLength(contract)),
            Windows = reports,
            Retrain = RetrainAdvisor.Advise(contract.Monitoring?.RetrainWhen, reports),
            EstimateCheck = EstimateChecker.Check(reports, FeatureHealth.KeyMetricOf(contract), WindowLength(contract)),
            Calibration = basis,
        };
    }

    /// <summary>
    /// The range covered by <paramref name="windows"/> judged as one, from the merge of the windows' stored summaries
    /// (computed from the rows only for windows not stored yet or changed since). A merge is kept until a prediction or
    /// label in the range changes; with <paramref name="stale"/> (a dashboard page), a kept merge whose data changed since
    /// is answered at once while a fresh one is merged in the background.
    /// </summary>
    public async Task<RangeReport> RangeAsync(
        Contract contract,
        int version,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows,
        EvaluationOptions evaluation,
        CancellationToken cancellationToken,
        bool stale = false
    )
    {
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var key = new RangeKey(contract.Feature, version, windows[0].Start, windows[^1].End, evaluation.Resamples);
        var change = await events
            .ChangeInRangeAsync(contract.Feature, key.From, key.To, cancellationToken)
            .ConfigureAwait(false);
        var calibration = (
            await ReferenceAsync(contract, version, inputs: false, cancellationToken).ConfigureAwait(false)
        ).Calibration;
        if (rangesKept.Find(key) is { } known && ReferenceEquals(known.Calibration, calibration))
        {
            if (known.Change == change)
            {
                return known.Report;
            }
            if (stale)
            {
                if (known.Report.ComputedAt is not { } at || Due(at, known.Took, options.Time.GetUtcNow()))
                {
                    Refresh(key, token =>
                        MergeAsync(contract, version, windows, evaluation, key, change, calibration, stale: true, token)
                    );
                }
                return known.Report;
            }
        }
        // A new day moves the range on: until the new merge is ready, a page shows the latest range it has.
        if (stale && rangesKept.Latest(key) is { } previous && ReferenceEquals(previous.Calibration, calibration))
        {
            Refresh(key, token =>
                MergeAsync(contract, version, windows, evaluation, key, change, calibration, stale: true, token)
            );
            return previous.Report;
        }
        return await MergeAsync(
                contract,
                version,
                windows,
                evaluation,
                key,
                change,
                calibration,
                stale,
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    private async Task<RangeReport> MergeAsync(
        Contract contract,
        int version,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows,
        EvaluationOptions evaluation,
        RangeKey key,
        long change,
        ScoreCalibration calibration,
        bool stale,
        CancellationToken cancellationToken
    )
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (reports, summaries, _) = await WindowsAsync(
                contract,
                version,
                windows,
                evaluation,
                summaries: true,
                stale,
                cancellationToken
            )
            .ConfigureAwait(false);
        var merged = WindowSummary.Merge(summaries);
        var now = options.Time.GetUtcNow();
        // The guard's figures merge from the windows' reports; requirements on them are judged on the range as the rest.
        var workflow = WorkflowMonitor.Merge(contract, reports.Select(r => r.Workflow), judge: true);
        var report = RangeMonitor.Summarize(
            contract,
            version,
            WindowLength(contract),
            merged,
            WorkflowMonitor.Options(contract, workflow, evaluation),
            calibration.Recalibrated
        ) with
        {
            ComputedAt = now,
            Workflow = workflow,
        };
        // A merge that took the open window as last computed is not known to be current: an exact request merges again.
        var current = stale && windows[^1].End > now ? -1 : change;
        rangesKept.Keep(key, new MergedRange(current, calibration, report, clock.Elapsed, key.To));
        return report;
    }

    /// <summary>
    /// Each window's report and, when asked, its summary: read back when stored and current, else computed from the rows
    /// (one window at a time, so memory holds a window, never the range) and stored once the window has closed.
    /// </summary>
    private async Task<(List<WindowReport> Reports, List<WindowSummary> Summaries, long AsOf)> WindowsAsync(
        Contract contract,
        int version,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows,
        EvaluationOptions evaluation,
        bool summaries,
        bool stale,
        CancellationToken cancellationToken
    )
    {
        // Every event acknowledged so far is part of the answer, unless the loader is far behind (then what is loaded).
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var feature = contract.Feature;
        var length = WindowLength(contract);
        var asOf = await events.CurrentChangeAsync(feature, cancellationToken).ConfigureAwait(false);
        var now = options.Time.GetUtcNow();
        Task<Dictionary<DateTimeOffset, (WindowReport Report, WindowSummary? Summary)>> StoredAsync(
            IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> these
        ) =>
            StoredWindowsAsync(
                feature,
                these,
                length,
                version,
                evaluation.Resamples,
                summaries,
                now,
                cancellationToken
            );
        var stored = await StoredAsync(windows).ConfigureAwait(false);
        var reports = new WindowReport?[windows.Count];
        var kept = new WindowSummary?[windows.Count];
        // A closed window's stored report answers when it has what is asked and no output was graded since.
        async Task<bool> UsableAsync(
            Dictionary<DateTimeOffset, (WindowReport Report, WindowSummary? Summary)> found,
            int i
        )
        {
            if (
                windows[i].End <= now
                && found.TryGetValue(windows[i].Start, out var window)
                && (!summaries || window.Summary is not null)
                && (
                    contract.Task != TaskKind.Generative
                    || !await generative
                        .GradedSinceAsync(feature, window.Report, cancellationToken)
                        .ConfigureAwait(false)
                )
            )
            {
                reports[i] = window.Report;
                kept[i] = window.Summary;
                return true;
            }
            return false;
        }
        for (var i = 0; i < windows.Count; i++)
        {
            if (await UsableAsync(stored, i).ConfigureAwait(false))
            {
                continue;
            }
            if (
                stale
                && windows[i].End > now
                && KeptOpenWindow(contract, version, windows[i], evaluation, now) is { } open
            )
            {
                (reports[i], kept[i]) = (open.Report, open.Summary);
            }
        }
        var missing = Enumerable.Range(0, windows.Count).Where(i => reports[i] is null).ToList();
        if (missing.Count > 0)
        {
            // The reference (a sample of a stored period) is read when a window is computed here, not by a server
            // that finds every window it waited for stored by another.
            (Table? Inputs, ScoreCalibration Calibration)? basis = null;
            foreach (var i in missing)
            {
                // A closed window is computed by one server at a time: one that waited for another's computation
                // reads the report it stored.
                await using var hold =
                    windows[i].End <= now
                        ? await reportCache
                            .HoldWindowAsync(
                                feature,
                                windows[i].Start,
                                length,
                                version,
                                evaluation.Resamples,
                                cancellationToken
                            )
                            .ConfigureAwait(false)
                        : null;
                if (
                    hold is not null
                    && await UsableAsync(await StoredAsync([windows[i]]).ConfigureAwait(false), i).ConfigureAwait(false)
                )
                {
                    continue;
                }
                if (basis is null)
                {
                    var fitted = await ReferenceAsync(contract, version, inputs: true, cancellationToken)
                        .ConfigureAwait(false);
                    basis = (fitted.Inputs, fitted.Calibration);
                }
                var (reference, calibration) = basis.Value;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (computed, summary) = await WindowComputation
                    .ComputeAsync(
                        events,
                        contract,
                        version,
                        windows[i],
                        evaluation,
                        reference,
                        calibration,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                computed = computed with { ComputedAt = now };
                if (contract.Task == TaskKind.Generative)
                {
                    computed = await generative
                        .AddAsync(
                            contract,
                            computed,
                            WorkflowMonitor.Options(contract, computed.Workflow, evaluation),
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                }
                reports[i] = computed;
                kept[i] = summary;
                if (windows[i].End <= now)
                {
                    // The report as it is stored and read back (its figures rounded as written), so this answer and
                    // every later one, from any instance, are the same.
                    var written = ReportJson.Write(computed);
                    reports[i] = ReportJson.ReadWindow(written) ?? computed;
                    await reportCache
                        .SaveWindowReportAsync(
                            feature,
                            windows[i].Start,
                            length,
                            version,
                            evaluation.Resamples,
                            asOf,
                            now,
                            written,
                            summary.ToBytes(),
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                }
                else
                {
                    windowsKept.KeepOpen(
                        new OpenWindowKey(feature, version, windows[i].Start, evaluation.Resamples),
                        new OpenWindow(now, computed, summary, clock.Elapsed)
                    );
                }
            }
        }
        return ([.. reports.Select(r => r!)], summaries ? [.. kept.Select(s => s!)] : [], asOf);
    }

    /// <summary>The closed windows' current stored reports, parsed: from memory when their stamp is unchanged, else read and parsed.</summary>
    private async Task<Dictionary<DateTimeOffset, (WindowReport Report, WindowSummary? Summary)>> StoredWindowsAsync(
        string feature,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows,
        TimeSpan length,
        int version,
        int resamples,
        bool summaries,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        var stamps = await reportCache
            .CurrentWindowStampsAsync(
                feature,
                windows[0].Start,
                windows[^1].End,
                length,
                version,
                resamples,
                cancellationToken
            )
            .ConfigureAwait(false);
        var result = new Dictionary<DateTimeOffset, (WindowReport, WindowSummary?)>();
        var missing = new List<DateTimeOffset>();
        foreach (var (start, stamp) in stamps)
        {
            if (
                windowsKept.Stored(new ClosedWindowKey(feature, start, length, version, resamples), stamp, summaries) is
                { } known
            )
            {
                result[start] = known;
            }
            else if (start + length <= now)
            {
                missing.Add(start);
            }
        }
        if (missing.Count > 0)
        {
            var read = await reportCache
                .WindowReportsAsync(feature, missing, length, version, resamples, summaries, cancellationToken)
                .ConfigureAwait(false);
            foreach (var (start, window) in read)
            {
                var report = ReportJson.ReadWindow(window.Report)
                    ?? throw new InvalidDataException($"the stored report of {feature}'s window at {start:O} is empty");
                var summary = window.Summary is { } bytes ? WindowSummary.FromBytes(bytes) : null;
                result[start] = (report, summary);
                windowsKept.KeepStored(
                    new ClosedWindowKey(feature, start, length, version, resamples),
                    window.Stamp,
                    report,
                    summary
                );
            }
        }
        return result;
    }

    /// <summary>
    /// The open window as last computed; when that is older than <see cref="FreshFor"/>, a new computation is queued in the
    /// background (its result is kept for the next view). Null when it was never computed.
    /// </summary>
    private OpenWindow? KeptOpenWindow(
        Contract contract,
        int version,
        (DateTimeOffset Start, DateTimeOffset End) window,
        EvaluationOptions evaluation,
        DateTimeOffset now
    )
    {
        var key = new OpenWindowKey(contract.Feature, version, window.Start, evaluation.Resamples);
        if (windowsKept.Open(key) is not { } kept)
        {
            return null;
        }
        if (Due(kept.At, kept.Took, now))
        {
            Refresh(key, token =>
                WindowsAsync(contract, version, [window], evaluation, summaries: true, stale: false, token)
            );
        }
        return kept;
    }

    /// <summary>
    /// Queues <paramref name="compute"/> on <see cref="FigureRefresher"/> (owned by the host: it gets the stopping token
    /// and is awaited before the store closes), unless the same figure is queued or being computed already.
    /// </summary>
    private void Refresh(object figure, Func<CancellationToken, Task> compute) => refresher.TryQueue(figure, compute);

    /// <summary>The contract's window, a day when it sets none.</summary>
    public static TimeSpan WindowLength(Contract contract) => contract.Monitoring?.Window ?? TimeSpan.FromDays(1);
}
