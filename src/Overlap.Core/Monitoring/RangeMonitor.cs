using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>Judges a range of production from its windows' merged summaries.</summary>
public static class RangeMonitor
{
    /// <summary>What a merged figure may differ by from a re-scan of the rows, as the report says it.</summary>
    public static string Precision { get; } =
        string.Create(
            CultureInfo.InvariantCulture,
            $"Counts, proportions and their intervals are exact. Scores are kept in bins {WindowSummary.ScoreBin} wide, so ROC and PR AUC, Brier, log loss, ECE and the threshold sweep can differ from a re-scan of the rows by about that much; latency percentiles are within {QuantileSketchAccuracy:P1}."
        );

    private const double QuantileSketchAccuracy = Statistics.QuantileSketch.DefaultRelativeAccuracy;

    /// <summary>
    /// The range report of <paramref name="merged"/> (see <see cref="WindowSummary.Merge"/>): volume, latency and cost;
    /// a binary contract's labelled cells judged by the same <see cref="Evaluator"/> as <c>overlap eval</c>, each cell
    /// standing for its count; and the estimate from every prediction's calibrated score.
    /// </summary>
    public static RangeReport Summarize(
        Contract contract,
        int version,
        TimeSpan window,
        WindowSummary merged,
        EvaluationOptions? options = null,
        bool recalibrated = false
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(merged);
        options ??= new EvaluationOptions();
        var latency = merged.Latency;
        EvaluationReport? evaluation = null;
        if (contract.Task == TaskKind.Binary && merged.Cells.Count > 0)
        {
            var (table, frequencies) = merged.LabelledTable(
                contract,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{contract.Feature} production, {merged.Start:yyyy-MM-dd HH:mm} to {merged.End:yyyy-MM-dd HH:mm} UTC"
                )
            );
            // Summaries stored before the cells kept the sensitive attributes cannot be judged for fairness.
            evaluation = Evaluator.Evaluate(
                merged.KeepsFairness(contract) ? contract : contract with { Fairness = null },
                table,
                options with
                {
                    Frequencies = frequencies,
                    Selections = merged.Selections,
                    ProductionMetrics = ProductionMetrics.With(
                        options.ProductionMetrics,
                        ProductionMetrics.Latency(latency, contract.Confidence)
                    ),
                }
            );
        }
        return new RangeReport
        {
            Feature = contract.Feature,
            ContractVersion = version,
            Window = WindowMonitor.Describe(window),
            From = merged.Start,
            To = merged.End,
            Windows = merged.Windows,
            Predictions = merged.Predictions,
            Labelled = merged.Labelled,
            LeftOut = merged.LeftOut.ToList(),
            LatencyMs =
                latency.Count == 0
                    ? null
                    : new LatencySummary(
                        latency.Count,
                        latency.Quantile(0.50),
                        latency.Quantile(0.95),
                        latency.Quantile(0.99)
                    ),
            CostTotal = merged.CostCount == 0 ? null : merged.CostSum,
            CostMean = merged.CostCount == 0 ? null : merged.CostSum / merged.CostCount,
            Estimated =
                contract.Task == TaskKind.Binary
                    ? merged.Estimate(
                        contract,
                        recalibrated,
                        Math.Min(options.Resamples, WindowMonitor.EstimateDraws),
                        options.Seed
                    )
                    : null,
            Evaluation = evaluation,
            FairnessWithoutLabels = evaluation is null
                ? Evaluator.FairnessWithoutLabels(contract, merged.Selections, options)
                : null,
            DriftTestedWindows = merged.DriftTestedWindows,
            DriftedWindows = merged.DriftedWindows,
            DriftedColumns = merged.DriftedColumns,
            Precision = Precision,
        };
    }
}
