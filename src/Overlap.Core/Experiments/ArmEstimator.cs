using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Metrics;
using Overlap.Core.Monitoring;

namespace Overlap.Core.Experiments;

/// <summary>
/// Estimates what an arm's predictions awaiting labels will show, as production monitoring estimates a window
/// (<see cref="PerformanceEstimator"/>, CBPE), but with the score calibration fitted on the arm's own labelled
/// predictions: a new model version's scores do not mean what the old one's meant, so one calibration for both arms
/// would misstate at least one of them.
/// </summary>
public static class ArmEstimator
{
    /// <summary>
    /// The metrics estimated for <paramref name="spec"/>: its primary metrics and guardrails that CBPE estimates and an
    /// experiment compares (rates), then recall and false_positive_rate.
    /// </summary>
    public static IReadOnlyList<string> Metrics(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return
        [
            .. spec
                .Primary.Concat(spec.Guardrails)
                .Select(m => m.Metric)
                .OfType<string>()
                .Append(BinaryMetricNames.Recall)
                .Append(BinaryMetricNames.FalsePositiveRate)
                .Where(m =>
                    PerformanceEstimator.MetricNames.Contains(m)
                    && MetricCatalog.Find(m) is { } info
                    && ExperimentMetrics.Comparable(info)
                )
                .Distinct(StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// The estimate for one arm: its score calibration (<see cref="ScoreCalibration.Fit"/>) fitted on its labelled
    /// predictions when there are at least <paramref name="minimumRows"/> with both labels among them, then CBPE on
    /// the scores awaiting labels, with <paramref name="draws"/> label draws seeded by <paramref name="seed"/> for the
    /// intervals at the contract's confidence. With too few labelled predictions, or none awaiting, nothing is estimated.
    /// </summary>
    public static ArmEstimate Estimate(
        Contract contract,
        ExperimentSpec spec,
        ArmScores arm,
        int minimumRows,
        int draws = WindowMonitor.EstimateDraws,
        ulong seed = EvaluationSeed
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(arm);
        if (arm.LabelledScores.Count != arm.Labels.Count)
        {
            throw new ArgumentException(
                $"{arm.Labels.Count} labels for {arm.LabelledScores.Count} labelled scores",
                nameof(arm)
            );
        }
        var estimate = new ArmEstimate
        {
            Version = arm.Version,
            Awaiting = arm.AwaitingScores.Count,
            CalibrationRows = arm.Labels.Count,
            CalibrationPositives = arm.Labels.Count(l => l == 1),
            MinimumRows = minimumRows,
        };
        if (estimate.Awaiting == 0 || !estimate.Calibrated)
        {
            return estimate;
        }
        var calibration = ScoreCalibration.Fit([.. arm.LabelledScores], [.. arm.Labels]);
        var scores = arm.AwaitingScores.ToArray();
        var performance = PerformanceEstimator.Estimate(
            scores,
            [.. scores.Select(calibration.Probability)],
            contract.Threshold,
            contract.Confidence,
            draws,
            seed,
            calibration.Recalibrated
        );
        return estimate with
        {
            Isotonic = calibration.Recalibrated,
            Metrics = [.. Metrics(spec).Select(m => new EstimatedMetric(m, performance.Metrics[m]))],
        };
    }

    /// <summary>The seed of the estimates' label draws: the evaluation's default, so an estimate repeats exactly.</summary>
    public const ulong EvaluationSeed = Evaluation.EvaluationOptions.DefaultSeed;
}
