using System.Threading.Channels;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>
/// Computes one window's report and summary from the store. A window of a binary feature with more than
/// <see cref="ChunkRows"/> predictions is read in batches of that many, in no order (so the store neither sorts nor holds
/// it), and judged from its cells (the way a 30-day range is, see
/// <see cref="WindowMonitor.Summarize(Contract, WindowSummary, EvaluationOptions?, Core.Drift.DriftReport?, bool)"/>),
/// its drift tested on the store's sample of <see cref="DriftSample"/> of its predictions, so memory holds a few batches
/// and the cells, never the window; a smaller window, and every window of another task, is judged from its rows.
/// </summary>
internal static class WindowComputation
{
    /// <summary>The most predictions read at once, and the most a window judged from its rows holds.</summary>
    public const int ChunkRows = 100_000;

    /// <summary>How many predictions of a window judged from its cells its drift test compares with the reference.</summary>
    public const int DriftSample = 100_000;

    /// <summary>The report of <paramref name="window"/> (not stamped with a time) and its summary.</summary>
    public static async Task<(WindowReport Report, WindowSummary Summary)> ComputeAsync(
        IEventReader events,
        Contract contract,
        int version,
        (DateTimeOffset Start, DateTimeOffset End) window,
        EvaluationOptions evaluation,
        Table? reference,
        ScoreCalibration calibration,
        CancellationToken cancellationToken,
        int chunkRows = ChunkRows
    )
    {
        var attributes = ProductionWindows.Attributes(contract);
        if (contract.Task != TaskKind.Binary)
        {
            var rows = await events
                .ReadPredictionsAsync(contract.Feature, window.Start, window.End, attributes, null, cancellationToken)
                .ConfigureAwait(false);
            return FromRows(contract, version, rows, window, evaluation, reference, calibration);
        }
        if (
            await SummarizeAsync(events, contract, version, window, calibration, cancellationToken, chunkRows)
                .ConfigureAwait(false)
            is not var (summary, tally)
        )
        {
            // No more than one batch: the row path, with every attribute read.
            var rows = await events
                .ReadPredictionsAsync(contract.Feature, window.Start, window.End, attributes, null, cancellationToken)
                .ConfigureAwait(false);
            return FromRows(contract, version, rows, window, evaluation, reference, calibration);
        }
        // Drift compares inputs and scores only: the sample is read without its labels.
        var sample = await events
            .ReadUnlabelledPredictionsAsync(
                contract.Feature,
                window.Start,
                window.End,
                attributes,
                DriftSample,
                cancellationToken
            )
            .ConfigureAwait(false);
        var inputs = ProductionWindows.Inputs(
            contract,
            version,
            sample,
            $"{contract.Feature} production, {window.Start:yyyy-MM-dd HH:mm} to {window.End:yyyy-MM-dd HH:mm} UTC"
        );
        var drift = WindowMonitor.Drift(contract, reference, inputs);
        var workflow = WorkflowMonitor.Summarize(contract, tally);
        var report = WindowMonitor.Summarize(
            contract,
            summary,
            WorkflowMonitor.Options(contract, workflow, evaluation),
            drift,
            calibration.Recalibrated
        );
        return (report with { Workflow = workflow }, summary);
    }

    /// <summary>
    /// The mergeable summary of a binary feature's <paramref name="window"/> (without its drift test) and the count of
    /// its guarded calls, built batch by batch as the store reads them; null when the window is at most one batch (the
    /// caller judges it from its rows).
    /// </summary>
    public static async Task<(WindowSummary Summary, WorkflowTally Tally)?> SummarizeAsync(
        IEventReader events,
        Contract contract,
        int version,
        (DateTimeOffset Start, DateTimeOffset End) window,
        ScoreCalibration calibration,
        CancellationToken cancellationToken,
        int chunkRows = ChunkRows
    )
    {
        var attributes = ProductionWindows.Attributes(contract);
        // Features are only tested for drift, on a sample read apart: the batches read them only to count the values
        // repaired, so the store may skip their extraction where no repair can be needed.
        var cellAttributes = contract
            .Columns.Segments.Concat(contract.Fairness?.Attributes ?? [])
            .ToHashSet(StringComparer.Ordinal);
        var screened = attributes.Where(a => !cellAttributes.Contains(a)).ToHashSet(StringComparer.Ordinal);
        if (events is IPredictionGroupReader grouped)
        {
            return await SummarizeGroupsAsync(
                    grouped,
                    contract,
                    version,
                    window,
                    calibration,
                    [.. attributes.Where(cellAttributes.Contains)],
                    [.. screened],
                    chunkRows,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        // The store reads the next batch while this one is summarised: a bounded hand-over of one batch, so memory
        // holds at most three (one read, one waiting, one summarised).
        var handOver = Channel.CreateBounded<ProductionRows>(
            new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true }
        );
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (
                        var batch in events
                            .ReadPredictionBatchesAsync(
                                contract.Feature,
                                window.Start,
                                window.End,
                                attributes,
                                chunkRows,
                                screened,
                                stop.Token
                            )
                            .ConfigureAwait(false)
                    )
                    {
                        await handOver.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                    }
                    handOver.Writer.Complete();
                }
                catch (Exception e)
                {
                    handOver.Writer.Complete(e);
                }
            },
            CancellationToken.None
        );
        try
        {
            var batches = handOver.Reader;
            ProductionRows? first = null;
            if (
                !await batches.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
                || (first = await batches.ReadAsync(cancellationToken).ConfigureAwait(false)) is null
                || !await batches.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
            )
            {
                return null;
            }
            var summary = new WindowSummary { Start = window.Start, End = window.End };
            var tally = new WorkflowTally();
            void Add(ProductionRows batch)
            {
                WorkflowRows.Add(contract, batch, tally);
                var part = ProductionWindows.Cut(contract, version, batch, [window], inputs: false).Single();
                summary.Add(WindowSummary.Build(contract, part, calibration));
            }
            Add(first);
            await foreach (var batch in batches.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Add(batch);
            }
            return (summary, tally);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The summary of a window from a store that groups its predictions itself (<see cref="IPredictionGroupReader"/>):
    /// each part's groups judged as rows are, each counting for the predictions it holds. Null when the window holds at
    /// most <paramref name="chunkRows"/> predictions (the caller judges it from its rows, as for any store).
    /// </summary>
    private static async Task<(WindowSummary Summary, WorkflowTally Tally)?> SummarizeGroupsAsync(
        IPredictionGroupReader grouped,
        Contract contract,
        int version,
        (DateTimeOffset Start, DateTimeOffset End) window,
        ScoreCalibration calibration,
        IReadOnlyList<string> cellAttributes,
        IReadOnlyList<string> screened,
        int chunkRows,
        CancellationToken cancellationToken
    )
    {
        var (min, max) = ProductionWindows.ScoreRange(contract, version);
        var grouping = new PredictionGrouping
        {
            Attributes = cellAttributes,
            Screened = screened,
            Threshold = contract.Threshold,
            BinWidth = WindowSummary.ScoreBin,
            ScoreMin = min,
            ScoreMax = max,
            ScoreValues = calibration.Recalibrated,
        };
        var summary = new WindowSummary { Start = window.Start, End = window.End };
        var tally = new WorkflowTally();
        await foreach (
            var part in grouped
                .ReadPredictionGroupsAsync(contract.Feature, window.Start, window.End, grouping, cancellationToken)
                .ConfigureAwait(false)
        )
        {
            WorkflowRows.Add(contract, part.Rows, tally, part.Counts);
            summary.Add(
                WindowSummary.Build(contract, ProductionWindows.CutGroups(contract, version, part, window), calibration)
            );
        }
        return summary.Predictions <= chunkRows ? null : (summary, tally);
    }

    /// <summary>The row path: the window's rows judged as <c>overlap eval</c> judges a file, and summarised beside.</summary>
    private static (WindowReport Report, WindowSummary Summary) FromRows(
        Contract contract,
        int version,
        ProductionRows rows,
        (DateTimeOffset Start, DateTimeOffset End) window,
        EvaluationOptions evaluation,
        Table? reference,
        ScoreCalibration calibration
    )
    {
        var cut = ProductionWindows.Cut(contract, version, rows, [window]).Single();
        var tally = new WorkflowTally();
        WorkflowRows.Add(contract, rows, tally);
        var workflow = WorkflowMonitor.Summarize(contract, tally);
        var report = WindowMonitor.Summarize(
            contract,
            cut,
            WorkflowMonitor.Options(contract, workflow, evaluation),
            reference,
            calibration
        ) with
        {
            Workflow = workflow,
        };
        return (report, WindowSummary.Build(contract, cut, report, calibration));
    }
}
