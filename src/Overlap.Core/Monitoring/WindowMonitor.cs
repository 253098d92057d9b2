using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Statistics;

namespace Overlap.Core.Monitoring;

/// <summary>Summarises production windows: volume, latency percentiles, cost, and the contract evaluation of what is labelled.</summary>
public static class WindowMonitor
{
    /// <summary>The windows of <paramref name="length"/> that cover [<paramref name="from"/>, <paramref name="to"/>), aligned to multiples of the length since the Unix epoch (UTC).</summary>
    public static IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Windows(
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan length
    )
    {
        if (length <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "a window must be longer than zero");
        }
        var windows = new List<(DateTimeOffset, DateTimeOffset)>();
        for (var start = Floor(from, length); start < to; start += length)
        {
            windows.Add((start, start + length));
        }
        return windows;
    }

    /// <summary>The start of the window holding <paramref name="time"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan length)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var floored = ticks - (((ticks % length.Ticks) + length.Ticks) % length.Ticks);
        return DateTimeOffset.UnixEpoch.AddTicks(floored);
    }

    /// <summary>A window length as a contract writes it: "1d", "6h", "15m", "30s".</summary>
    public static string Describe(TimeSpan length) =>
        length.Ticks % TimeSpan.TicksPerDay == 0 ? $"{length.Ticks / TimeSpan.TicksPerDay}d"
        : length.Ticks % TimeSpan.TicksPerHour == 0 ? $"{length.Ticks / TimeSpan.TicksPerHour}h"
        : length.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{length.Ticks / TimeSpan.TicksPerMinute}m"
        : $"{length.Ticks / TimeSpan.TicksPerSecond}s";

    /// <summary>
    /// The columns production drift watches: the contract's <c>features</c> (or, when it names none, its segments), then
    /// the score column, so a model whose scores move is seen even when its inputs look the same.
    /// </summary>
    public static IReadOnlyList<string> DriftColumns(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var columns = new List<string>(contract.Columns.Features ?? contract.Columns.Segments);
        if (contract.Columns.Score is { } score && !columns.Contains(score))
        {
            columns.Add(score);
        }
        return columns;
    }

    /// <summary>Label draws behind an estimate's intervals: enough for a 95% interval, affordable on a million predictions.</summary>
    public const int EstimateDraws = 200;

    /// <summary>
    /// Summarises one window; with a <paramref name="reference"/> (the reference period's <see cref="ProductionWindow.Inputs"/>)
    /// its inputs are tested for drift as <c>overlap drift</c> tests two files; with a <paramref name="calibration"/> a
    /// binary contract's performance is estimated from the scores (<see cref="PerformanceEstimator"/>).
    /// </summary>
    public static WindowReport Summarize(
        Contract contract,
        ProductionWindow window,
        EvaluationOptions? options = null,
        Table? reference = null,
        ScoreCalibration? calibration = null
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(window);
        var latencies = Present(window.LatencyMs);
        var costs = Present(window.Costs);
        Array.Sort(latencies);
        return new WindowReport
        {
            Start = window.Start,
            End = window.End,
            Predictions = window.Predictions,
            Labelled = window.Labelled.RowCount,
            LeftOut = window.LeftOut,
            LatencyMs =
                latencies.Length == 0
                    ? null
                    : new LatencySummary(
                        latencies.Length,
                        Bootstrap.Quantile(latencies, 0.50),
                        Bootstrap.Quantile(latencies, 0.95),
                        Bootstrap.Quantile(latencies, 0.99)
                    ),
            CostTotal = costs.Length == 0 ? null : costs.Sum(),
            CostMean = costs.Length == 0 ? null : costs.Average(),
            Evaluation =
                window.Labelled.RowCount == 0
                    ? null
                    : Evaluator.Evaluate(
                        contract,
                        window.Labelled,
                        (options ?? new EvaluationOptions()) with
                        {
                            Selections = window.Selections,
                            ProductionMetrics = ProductionMetrics.With(
                                options?.ProductionMetrics,
                                ProductionMetrics.Latency(latencies, contract.Confidence)
                            ),
                        }
                    ),
            Estimated = Estimate(contract, window, calibration, options ?? new EvaluationOptions()),
            FairnessWithoutLabels =
                window.Labelled.RowCount == 0
                    ? Evaluator.FairnessWithoutLabels(contract, window.Selections, options)
                    : null,
            Drift = Drift(contract, reference, window.Inputs),
        };
    }

    /// <summary>
    /// Summarises one window from its <paramref name="summary"/> (its rows added chunk by chunk) as
    /// <see cref="RangeMonitor"/> judges a range: counts, proportions and their Wilson intervals exactly as from the rows;
    /// figures that depend on a score's place inside its bin (AUC, Brier, log loss, ECE, the sweep) within about
    /// <see cref="WindowSummary.ScoreBin"/>; latency percentiles from the sketch; bootstrap intervals over the cells.
    /// <paramref name="drift"/> is the window's drift test (on a sample of its inputs), recorded in the summary too.
    /// </summary>
    public static WindowReport Summarize(
        Contract contract,
        WindowSummary summary,
        EvaluationOptions? options,
        DriftReport? drift,
        bool recalibrated
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(summary);
        summary.RecordDrift(drift);
        var range = RangeMonitor.Summarize(contract, 0, summary.End - summary.Start, summary, options, recalibrated);
        return new WindowReport
        {
            Start = summary.Start,
            End = summary.End,
            Predictions = checked((int)summary.Predictions),
            Labelled = checked((int)summary.Labelled),
            LeftOut = range.LeftOut,
            LatencyMs = range.LatencyMs,
            CostTotal = range.CostTotal,
            CostMean = range.CostMean,
            Evaluation = range.Evaluation,
            Estimated = range.Estimated,
            FairnessWithoutLabels = range.FairnessWithoutLabels,
            Drift = drift,
        };
    }

    /// <summary>
    /// The drift test of a window's <paramref name="inputs"/> against the <paramref name="reference"/> period's, as
    /// <c>overlap drift</c> tests two files; null without a reference or without inputs.
    /// </summary>
    public static DriftReport? Drift(Contract contract, Table? reference, Table inputs)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(inputs);
        return reference is null || reference.RowCount == 0 || inputs.RowCount == 0
            ? null
            : DriftAnalyzer.Analyze(
                reference,
                inputs,
                new DriftOptions
                {
                    Feature = contract.Feature,
                    Policy = contract.Drift,
                    Columns = DriftColumns(contract),
                }
            );
    }

    private static EstimatedPerformance? Estimate(
        Contract contract,
        ProductionWindow window,
        ScoreCalibration? calibration,
        EvaluationOptions options
    )
    {
        if (calibration is null || contract.Task != TaskKind.Binary)
        {
            return null;
        }
        var scores = Present(window.Scores);
        if (scores.Length == 0)
        {
            return null;
        }
        var probabilities = scores.Select(calibration.Probability).ToArray();
        return PerformanceEstimator.Estimate(
            scores,
            probabilities,
            contract.Threshold,
            contract.Confidence,
            Math.Min(options.Resamples, EstimateDraws),
            options.Seed,
            calibration.Recalibrated
        );
    }

    private static double[] Present(double[] values) => [.. values.Where(v => !double.IsNaN(v))];
}
