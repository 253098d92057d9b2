using System.Text.Json.Serialization;

namespace Overlap.Core.Evaluation;

/// <summary>The decisions at one threshold.</summary>
/// <param name="Threshold">Flag when score ≥ this.</param>
/// <param name="Tp">Positives flagged.</param>
/// <param name="Fp">Negatives flagged.</param>
/// <param name="Fn">Positives missed.</param>
/// <param name="Tn">Negatives left alone.</param>
/// <param name="Precision">tp / (tp + fp), NaN when nothing is flagged.</param>
/// <param name="Recall">tp / (tp + fn).</param>
/// <param name="FalsePositiveRate">fp / (fp + tn).</param>
/// <param name="Cost">fp × cost_fp + fn × cost_fn.</param>
/// <param name="CostPer1000">Cost per 1,000 decisions.</param>
public sealed record ThresholdPoint(double Threshold, long Tp, long Fp, long Fn, long Tn, double Precision, double Recall, double FalsePositiveRate, double Cost, [property: JsonPropertyName("cost_per_1000")] double CostPer1000);
