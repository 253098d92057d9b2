using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>
/// Reliability table and expected calibration error over 10 equal-width bins of the positive score.
/// A score s falls in bin min(⌊10·s⌋, 9): [0, 0.1), [0.1, 0.2), …, [0.9, 1].
/// </summary>
public static class Calibration
{
    /// <summary>Number of equal-width bins.</summary>
    public const int BinCount = 10;

    /// <summary>The reliability table and ECE of the scores against the labels.</summary>
    /// <param name="scores">Probability of the positive class per example, in [0, 1].</param>
    /// <param name="labels">True label per example (1 positive, 0 negative).</param>
    /// <param name="confidence">Confidence of each bin's Wilson interval.</param>
    /// <param name="frequencies">How many examples each row stands for; empty for one each.</param>
    public static CalibrationReport Compute(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<byte> labels,
        double confidence,
        ReadOnlySpan<int> frequencies = default
    )
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{labels.Length} labels for {scores.Length} scores.", nameof(labels));
        }
        Span<long> counts = stackalloc long[BinCount];
        Span<long> positives = stackalloc long[BinCount];
        Span<double> scoreSums = stackalloc double[BinCount];
        counts.Clear();
        positives.Clear();
        scoreSums.Clear();
        long total = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var b = SortedBinaryData.EceBin(scores[i]);
            var f = frequencies.IsEmpty ? 1 : frequencies[i];
            counts[b] += f;
            positives[b] += labels[i] * (long)f;
            scoreSums[b] += scores[i] * f;
            total += f;
        }
        var bins = new ReliabilityBin[BinCount];
        var ece = 0.0;
        for (var b = 0; b < BinCount; b++)
        {
            var n = counts[b];
            var mean = n > 0 ? scoreSums[b] / n : double.NaN;
            var observed = n > 0 ? (double)positives[b] / n : double.NaN;
            bins[b] = new ReliabilityBin(
                b / 10.0,
                (b + 1) / 10.0,
                n,
                mean,
                observed,
                Wilson.Interval(positives[b], n, confidence)
            );
            if (n > 0)
            {
                ece += (double)n / total * Math.Abs(observed - mean);
            }
        }
        return new CalibrationReport(bins, total > 0 ? ece : double.NaN);
    }
}
