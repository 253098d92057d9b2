using Overlap.Core.Metrics;
using Overlap.Core.Statistics;
using MetricValue = Overlap.Core.Evaluation.MetricValue;

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
internal static class PerformanceEstimator
{
    /// <summary>The metrics estimated.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        BinaryMetricNames.Precision,
        BinaryMetricNames.Recall,
        BinaryMetricNames.FalsePositiveRate,
        BinaryMetricNames.Specificity,
        BinaryMetricNames.Accuracy,
        BinaryMetricNames.F1,
        BinaryMetricNames.RocAuc,
    ];

    /// <summary>Estimates a window's performance.</summary>
    /// <param name="scores">The raw scores: they decide (score ≥ threshold) and rank.</param>
    /// <param name="probabilities">The calibrated probability of each score.</param>
    /// <param name="threshold">The contract's decision threshold.</param>
    /// <param name="confidence">The intervals' confidence.</param>
    /// <param name="draws">Label draws for the intervals (0: no intervals).</param>
    /// <param name="seed">Seeds the draws, so an estimate is reproducible.</param>
    /// <param name="recalibrated">Recorded in the result.</param>
    public static EstimatedPerformance Estimate(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<double> probabilities,
        double threshold,
        double confidence,
        int draws,
        ulong seed,
        bool recalibrated
    )
    {
        if (scores.Length != probabilities.Length)
        {
            throw new ArgumentException(
                $"{probabilities.Length} probabilities for {scores.Length} scores",
                nameof(probabilities)
            );
        }
        var counts = new long[scores.Length];
        counts.AsSpan().Fill(1);
        var squares = new double[scores.Length];
        for (var i = 0; i < squares.Length; i++)
        {
            squares[i] = probabilities[i] * probabilities[i];
        }
        return Estimate(scores, counts, probabilities, squares, threshold, confidence, draws, seed, recalibrated);
    }

    /// <summary>
    /// Estimates from rows that each stand for <paramref name="counts"/> predictions sharing a decision (a window
    /// summary's score cells): <paramref name="probabilitySums"/> is Σ p over a row's predictions and
    /// <paramref name="probabilitySquares"/> Σ p², so the expected counts are exact and a row's drawn positives follow the
    /// binomial at the row's mean probability when it is small, else the normal approximation of its Poisson-binomial
    /// (mean Σ p, variance Σ p(1 − p)) or, when that variance is small, a Poisson draw of the rarer outcome. A row of one
    /// prediction is drawn as a Bernoulli, exactly as the per-prediction estimate does.
    /// </summary>
    public static EstimatedPerformance Estimate(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<long> counts,
        ReadOnlySpan<double> probabilitySums,
        ReadOnlySpan<double> probabilitySquares,
        double threshold,
        double confidence,
        int draws,
        ulong seed,
        bool recalibrated
    )
    {
        if (
            counts.Length != scores.Length
            || probabilitySums.Length != scores.Length
            || probabilitySquares.Length != scores.Length
        )
        {
            throw new ArgumentException(
                "one count, probability sum and square sum per score is needed",
                nameof(counts)
            );
        }
        var rows = scores.Length;
        var decisions = new bool[rows];
        var negatives = new double[rows];
        double tp = 0,
            fp = 0,
            fn = 0,
            tn = 0;
        long n = 0;
        for (var i = 0; i < rows; i++)
        {
            decisions[i] = scores[i] >= threshold;
            negatives[i] = counts[i] - probabilitySums[i];
            n += counts[i];
            if (decisions[i])
            {
                tp += probabilitySums[i];
                fp += negatives[i];
            }
            else
            {
                fn += probabilitySums[i];
                tn += negatives[i];
            }
        }
        var order = DescendingOrder(scores);
        var point = FromCounts(tp, fp, fn, tn);
        point[BinaryMetricNames.RocAuc] = CurveArea(scores, order, probabilitySums, negatives);

        var replicates = MetricNames.ToDictionary(m => m, _ => new double[draws]);
        var positives = new double[rows];
        var drawnNegatives = new double[rows];
        for (var r = 0; r < draws; r++)
        {
            var rng = new Xoshiro256(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(r + 1)));
            double dtp = 0,
                dfp = 0,
                dfn = 0,
                dtn = 0;
            for (var i = 0; i < rows; i++)
            {
                positives[i] = DrawPositives(ref rng, counts[i], probabilitySums[i], probabilitySquares[i]);
                drawnNegatives[i] = counts[i] - positives[i];
                if (decisions[i])
                {
                    dtp += positives[i];
                    dfp += drawnNegatives[i];
                }
                else
                {
                    dfn += positives[i];
                    dtn += drawnNegatives[i];
                }
            }
            var drawn = FromCounts(dtp, dfp, dfn, dtn);
            drawn[BinaryMetricNames.RocAuc] = CurveArea(scores, order, positives, drawnNegatives);
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
        return new EstimatedPerformance
        {
            N = n,
            Recalibrated = recalibrated,
            ExpectedTp = tp,
            ExpectedFp = fp,
            ExpectedFn = fn,
            ExpectedTn = tn,
            Metrics = metrics,
        };
    }

    /// <summary>Rows of at most this many predictions draw each prediction (at the row's mean probability).</summary>
    private const int BernoulliUpTo = 64;

    /// <summary>
    /// Positives among <paramref name="count"/> predictions whose probabilities sum to <paramref name="sum"/> (and whose
    /// squares sum to <paramref name="squares"/>): a Bernoulli per prediction at the mean probability for a small row;
    /// the normal approximation of the Poisson-binomial when its variance is at least 9; otherwise a Poisson draw for the
    /// rarer outcome (Le Cam), so few expected positives are neither rounded away nor pushed up by clipping at zero.
    /// </summary>
    private static double DrawPositives(ref Xoshiro256 rng, long count, double sum, double squares)
    {
        if (count <= BernoulliUpTo)
        {
            var p = sum / count;
            var positives = 0;
            for (var i = 0; i < count; i++)
            {
                positives += rng.NextDouble() < p ? 1 : 0;
            }
            return positives;
        }
        var variance = Math.Max(sum - squares, 0);
        if (variance >= 9)
        {
            // Box–Muller: one standard normal from two uniforms (1 − u keeps the logarithm finite).
            var z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            return Math.Clamp(Math.Round(sum + (z * Math.Sqrt(variance))), 0, count);
        }
        return sum <= count - sum
            ? Math.Min(PoissonDraw.Sample(ref rng, sum), count)
            : count - Math.Min(PoissonDraw.Sample(ref rng, count - sum), count);
    }

    private static Dictionary<string, double> FromCounts(double tp, double fp, double fn, double tn) =>
        new(StringComparer.Ordinal)
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

    /// <summary>The area under the ROC curve with each row counted <paramref name="positives"/> positive and <paramref name="negatives"/> negative; with 0/1 counts, the ROC AUC.</summary>
    private static double CurveArea(
        ReadOnlySpan<double> scores,
        int[] order,
        ReadOnlySpan<double> positives,
        ReadOnlySpan<double> negatives
    )
    {
        double tp = 0,
            fp = 0,
            area = 0;
        var i = 0;
        while (i < order.Length)
        {
            double groupTp = 0,
                groupFp = 0;
            var score = scores[order[i]];
            for (; i < order.Length && scores[order[i]] == score; i++)
            {
                groupTp += positives[order[i]];
                groupFp += negatives[order[i]];
            }
            area += groupFp * (tp + tp + groupTp) / 2;
            tp += groupTp;
            fp += groupFp;
        }
        return tp > 0 && fp > 0 ? area / (tp * fp) : double.NaN;
    }
}
