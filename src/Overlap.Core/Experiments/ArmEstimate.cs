using Overlap.Core.Evaluation;

namespace Overlap.Core.Experiments;

/// <summary>
/// What one arm's predictions awaiting labels are estimated to show, from the arm's own calibrated scores (CBPE). It
/// informs; the decision waits for the labels.
/// </summary>
public sealed record ArmEstimate
{
    /// <summary>The arm's model version.</summary>
    public required string Version { get; init; }

    /// <summary>Whether the arm's predictions were scored in shadow (not served), as a shadow experiment's treatment is.</summary>
    public bool Shadow { get; init; }

    /// <summary>The scored predictions awaiting labels: what is estimated.</summary>
    public required long Awaiting { get; init; }

    /// <summary>The arm's labelled predictions the calibration is (or would be) fitted on.</summary>
    public required long CalibrationRows { get; init; }

    /// <summary>How many of them are positive.</summary>
    public required long CalibrationPositives { get; init; }

    /// <summary>The fewest labelled predictions, with both labels among them, the calibration is fitted on.</summary>
    public required int MinimumRows { get; init; }

    /// <summary>Whether the calibration is isotonic (else the scores are taken as they are: calibrating did not help).</summary>
    public bool Isotonic { get; init; }

    /// <summary>
    /// The estimated metrics, in the experiment's order (its primary metrics and guardrails, then recall and
    /// false_positive_rate); empty when there is nothing awaiting or too few labelled predictions to calibrate on.
    /// </summary>
    public IReadOnlyList<EstimatedMetric> Metrics { get; init; } = [];

    /// <summary>Whether the arm has enough labelled predictions, with both labels, to calibrate its scores.</summary>
    public bool Calibrated =>
        CalibrationRows >= MinimumRows && CalibrationPositives > 0 && CalibrationPositives < CalibrationRows;
}

/// <summary>One estimated metric: its name and its estimate with the interval of the labels the probabilities would draw.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Value">The estimate, its interval and the predictions it covers.</param>
public sealed record EstimatedMetric(string Metric, MetricValue Value);
