namespace Overlap.Core.Metrics;

/// <summary>The decisions at one threshold (flag when score &gt;= threshold) and what their errors cost.</summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="Confusion">Confusion counts at that threshold.</param>
/// <param name="Precision">tp / (tp + fp); NaN when nothing is flagged.</param>
/// <param name="Recall">tp / (tp + fn); NaN without positives.</param>
/// <param name="FalsePositiveRate">fp / (fp + tn); NaN without negatives.</param>
/// <param name="Cost">fp · cost of a false positive + fn · cost of a false negative.</param>
/// <param name="CostPer1000">Cost per 1,000 decisions: 1000 · Cost / N.</param>
public readonly record struct ThresholdPoint(
    double Threshold,
    Confusion Confusion,
    double Precision,
    double Recall,
    double FalsePositiveRate,
    double Cost,
    double CostPer1000);
