using System.Text.Json.Serialization;

namespace Overlap.Core.Metrics;

/// <summary>The decisions at one threshold (flag when score &gt;= threshold) and what their errors cost.</summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="Tp">Positives flagged.</param>
/// <param name="Fp">Negatives flagged.</param>
/// <param name="Fn">Positives missed.</param>
/// <param name="Tn">Negatives left alone.</param>
/// <param name="Precision">tp / (tp + fp); NaN when nothing is flagged.</param>
/// <param name="Recall">tp / (tp + fn); NaN without positives.</param>
/// <param name="FalsePositiveRate">fp / (fp + tn); NaN without negatives.</param>
/// <param name="Cost">fp · cost of a false positive + fn · cost of a false negative.</param>
/// <param name="CostPer1000">Cost per 1,000 decisions: 1000 · Cost / N.</param>
public readonly record struct ThresholdPoint(
    double Threshold,
    long Tp,
    long Fp,
    long Fn,
    long Tn,
    double Precision,
    double Recall,
    double FalsePositiveRate,
    double Cost,
    [property: JsonPropertyName("cost_per_1000")] double CostPer1000
)
{
    /// <summary>The confusion counts at that threshold.</summary>
    [JsonIgnore]
    public Confusion Confusion => new(Tp, Fp, Fn, Tn);
}
