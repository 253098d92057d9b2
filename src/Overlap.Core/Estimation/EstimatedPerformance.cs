using Overlap.Core.Evaluation;

namespace Overlap.Core.Estimation;

/// <summary>
/// Performance estimated from calibrated scores before labels arrive: the expected confusion counts and the metrics
/// built from them, each with an interval for the labels that calibrated probabilities would draw.
/// </summary>
public sealed record EstimatedPerformance
{
    /// <summary>How many predictions the estimate covers.</summary>
    public required long N { get; init; }

    /// <summary>Whether the scores were recalibrated (isotonic, fitted on the reference) or taken as they are.</summary>
    public required bool Recalibrated { get; init; }

    /// <summary>Expected true positives: the sum of the calibrated probability over predicted positives.</summary>
    public required double ExpectedTp { get; init; }

    /// <summary>Expected false positives: the sum of one minus it over predicted positives.</summary>
    public required double ExpectedFp { get; init; }

    /// <summary>Expected false negatives: the sum of the probability over predicted negatives.</summary>
    public required double ExpectedFn { get; init; }

    /// <summary>Expected true negatives: the sum of one minus it over predicted negatives.</summary>
    public required double ExpectedTn { get; init; }

    /// <summary>Estimated metrics by name (precision, recall, false_positive_rate, specificity, accuracy, f1, roc_auc).</summary>
    public required IReadOnlyDictionary<string, MetricValue> Metrics { get; init; }
}
