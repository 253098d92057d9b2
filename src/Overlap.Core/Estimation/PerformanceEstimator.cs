using Overlap.Core.Metrics;
using MetricValue = Overlap.Core.Evaluation.MetricValue;
using Overlap.Core.Statistics;

namespace Overlap.Core.Estimation;

/// <summary>
/// Confidence-based performance estimation (CBPE, as NannyML describes it): with calibrated probabilities p, the
/// expected confusion matrix of a window is E[TP] = Σ p and E[FP] = Σ (1 − p) over predicted positives, E[FN] = Σ p and
/// E[TN] = Σ (1 − p) over predicted negatives; precision, recall, false-positive rate, specificity, accuracy and F1 are
/// computed from those counts, and the expected ROC AUC from the ROC curve of the raw scores with each example counted
/// p positive and 1 − p negative (thresholds at each distinct score, trapezoid rule). Intervals are percentile
/// intervals over draws of labels y ~ Bernoulli(p): the spread of what the labels would show if the probabilities are
/// right. It estimates; labels, when they come, are the truth, and the two are shown side by side.
/// </summary>
public static class PerformanceEstimator
{
    /// <summary>The metrics estimated.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
        [BinaryMetricNames.Precision, BinaryMetricNames.Recall, BinaryMetricNames.FalsePositiveRate, BinaryMetricNames.Specificity, BinaryMetricNames.Accuracy, BinaryMetricNames.F1, BinaryMetricNames.RocAuc];

    /// <summary>Estimates a window's performance.</summary>
    /// <param name="scores">The raw scores: they decide (score ≥ threshold) and rank.</param>
    /// <param name="probabilities">The calibrated probability of each score.</param>
    /// <param name="threshold">The contract's decision threshold.</param>
    /// <param name="confidence">The intervals' confidence.</param>
    /// <param name="draws">Label draws for the intervals (0: no intervals).</param>
    /// <param name="seed">Seeds the draws, so an estimate is reproducible.</param>
    /// <param name="recalibrated">Recorded in the result.</param>
    public static EstimatedPerformance Estimate(ReadOnlySpan<double> scores, ReadOnlySpan<double> probabilities, double threshold, double confidence, int draws, ulong seed, bool recalibrated)
    {
        if (scores.Length != probabilities.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities for {scores.Length} scores", nameof(probabilities));
        }
        var n = scores.Length;
        var decisions = new bool[n];
        double tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < n; i++)
        {
            decisions[i] = scores[i] >= threshold;
            if (decisions[i])
            {
                tp += probabilities[i];
                fp += 1 - probabilities[i];
            }
            else
            {
                fn += probabilities[i];
                tn += 1 - probabilities[i];
            }
        }
        var order = DescendingOrder(scores);
        var point = FromCounts(tp, fp, fn, tn);
        point[BinaryMetricNames.RocAuc] = CurveArea(scores, order, probabilities);

        var replicates = MetricNames.ToDictionary(m => m, _ => new double[draws]);
        var labels = new double[n];
        for (var r = 0; r < draws; r++)
        {
            var rng = new Xoshiro256(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(r + 1)));
            double dtp = 0, dfp = 0, dfn = 0, dtn = 0;
            for (var i = 0; i < n; i++)
            {
                labels[i] = rng.NextDouble() < probabilities[i] ? 1 : 0;
                if (decisions[i])
                {
                    dtp += labels[i];
                    dfp += 1 - labels[i];
                }
                else
                {
                    dfn += labels[i];
                    dtn += 1 - labels[i];
                }
            }
            var drawn = FromCounts(dtp, dfp, dfn, dtn);
            drawn[BinaryMetricNames.RocAuc] = CurveArea(scores, order, labels);
            foreach (var name in MetricNames)
            {
                replicates[name][r] = drawn[name];
            }
        }
        var metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var name in MetricNames)
        {
            var interval = draws > 0 ? Bootstrap.Percentile(replicates[name], confidence) : Interval.Unknown;
            metrics[name] = new MetricValue(point[name], interval.Low, interval.High, n);
        }
        return new EstimatedPerformance { N = n, Recalibrated = recalibrated, ExpectedTp = tp, ExpectedFp = fp, ExpectedFn = fn, ExpectedTn = tn, Metrics = metrics };
    }

    private static Dictionary<string, double> FromCounts(double tp, double fp, double fn, double tn) => new(StringComparer.Ordinal)
    {
        [BinaryMetricNames.Precision] = Ratio(tp, tp + fp),
        [BinaryMetricNames.Recall] = Ratio(tp, tp + fn),
        [BinaryMetricNames.FalsePositiveRate] = Ratio(fp, fp + tn),
        [BinaryMetricNames.Specificity] = Ratio(tn, fp + tn),
        [BinaryMetricNames.Accuracy] = Ratio(tp + tn, tp + fp + fn + tn),
        [BinaryMetricNames.F1] = Ratio(2 * tp, (2 * tp) + fp + fn),
    };

    private static double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;

    private static int[] DescendingOrder(ReadOnlySpan<double> scores)
    {
        var keys = new double[scores.Length];
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            keys[i] = -scores[i];
            order[i] = i;
        }
        Array.Sort(keys, order);
        return order;
    }

    /// <summary>The area under the ROC curve with each example weighted w positive and 1 − w negative; with 0/1 weights, the ROC AUC.</summary>
    private static double CurveArea(ReadOnlySpan<double> scores, int[] order, ReadOnlySpan<double> weights)
    {
        double tp = 0, fp = 0, area = 0;
        var i = 0;
        while (i < order.Length)
        {
            double groupTp = 0, groupFp = 0;
            var score = scores[order[i]];
            for (; i < order.Length && scores[order[i]] == score; i++)
            {
                groupTp += weights[order[i]];
                groupFp += 1 - weights[order[i]];
            }
            area += groupFp * (tp + tp + groupTp) / 2;
            tp += groupTp;
            fp += groupFp;
        }
        return tp > 0 && fp > 0 ? area / (tp * fp) : double.NaN;
    }
}
