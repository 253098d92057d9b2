namespace Overlap.Core.Metrics;

/// <summary>Threshold sweep, cost-optimal threshold and chart curves of one scored data set.</summary>
internal sealed record ThresholdReport
{
    /// <summary>The decisions at thresholds 0.00, 0.01, …, 1.00.</summary>
    public required IReadOnlyList<ThresholdPoint> Sweep { get; init; }

    /// <summary>
    /// The decisions at the threshold with the lowest total cost over every distinct score and "flag nothing"
    /// (a threshold halfway between the highest score and 1); ties go to the higher threshold.
    /// </summary>
    public required ThresholdPoint Optimum { get; init; }

    /// <summary>
    /// The decisions at the cheapest threshold (of the same candidates) that keeps every requirement the threshold moves
    /// (<see cref="BinaryOptions.Keeps"/>); null when none does. The optimum itself when nothing constrains the threshold.
    /// </summary>
    public ThresholdPoint? Kept { get; init; }

    /// <summary>The decisions actually evaluated: the contract threshold, or the given predictions.</summary>
    public required ThresholdPoint Current { get; init; }

    /// <summary>ROC curve from (0, 0) to (1, 1), at most about 200 points, both ends kept.</summary>
    public required IReadOnlyList<CurvePoint> Roc { get; init; }

    /// <summary>Precision–recall curve from (0, 1) by descending threshold, at most about 200 points, both ends kept.</summary>
    public required IReadOnlyList<CurvePoint> PrecisionRecall { get; init; }
}
