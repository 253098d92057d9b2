namespace Overlap.Core.Metrics;

/// <summary>
/// The examples sorted once by descending score (ties by row), with everything a weighted pass needs
/// precomputed per row, so that each bootstrap replicate is one sequential scan with no sorting.
/// </summary>
internal sealed class SortedBinaryData
{
    // Flags layout: bit 0 label, bit 1 decision, bit 2 "first row of a tie group".
    public const int LabelBit = 1;
    public const int DecisionBit = 2;
    public const int GroupStartBit = 4;

    private SortedBinaryData(int length, int segmentColumns)
    {
        Length = length;
        Scores = new double[length];
        Order = new int[length];
        Flags = new byte[length];
        Weights = new int[length];
        Codes = new int[segmentColumns][];
        Offsets = new int[segmentColumns];
    }

    public int Length { get; }

    /// <summary>Scores, descending.</summary>
    public double[] Scores { get; }

    /// <summary>Sorted position to original row.</summary>
    public int[] Order { get; }

    public byte[] Flags { get; }

    /// <summary>How many examples each sorted row stands for (1 unless the sample carries frequencies).</summary>
    public int[] Weights { get; }

    /// <summary>Whether rows carry frequencies (the bootstrap then draws Poisson counts).</summary>
    public bool Weighted { get; private set; }

    /// <summary>The number of examples: the sum of <see cref="Weights"/>.</summary>
    public long Total { get; private set; }

    /// <summary>Per tie group (distinct score, descending): the score.</summary>
    public double[] GroupScore { get; private set; } = [];

    /// <summary>Per tie group: the log loss of a positive at that score, with sklearn's clipping.</summary>
    public double[] GroupLossPositive { get; private set; } = [];

    /// <summary>Per tie group: the log loss of a negative at that score.</summary>
    public double[] GroupLossNegative { get; private set; } = [];

    /// <summary>Per tie group: the ECE bin of the score.</summary>
    public byte[] GroupBin { get; private set; } = [];

    /// <summary>Per segment column, the codes in sorted order.</summary>
    public int[][] Codes { get; }

    /// <summary>Accumulator index of code 0 of each segment column (accumulator 0 is overall).</summary>
    public int[] Offsets { get; }

    /// <summary>1 (overall) plus the number of values of every segment column.</summary>
    public int AccumulatorCount { get; private set; }

    /// <summary>Distinct score values.</summary>
    public int GroupCount { get; private set; }

    /// <summary>Sorts and precomputes. Decisions come from <paramref name="predictions"/> when given, else score &gt;= threshold.</summary>
    public static SortedBinaryData Create(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<byte> labels,
        ReadOnlySpan<byte> predictions,
        double threshold,
        IReadOnlyList<SegmentColumn> segments,
        ReadOnlySpan<int> frequencies = default
    )
    {
        var n = scores.Length;
        var d = new SortedBinaryData(n, segments.Count);
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = -scores[i];
            d.Order[i] = i;
        }
        RowOrder.Sort(keys, d.Order);
        var groups = 0;
        for (var i = 0; i < n; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                d.Flags[i] = GroupStartBit;
                groups++;
            }
        }
        d.GroupCount = groups;
        d.GroupScore = new double[groups];
        d.GroupLossPositive = new double[groups];
        d.GroupLossNegative = new double[groups];
        d.GroupBin = new byte[groups];

        var hasPredictions = !predictions.IsEmpty;
        var g = -1;
        for (var i = 0; i < n; i++)
        {
            var row = d.Order[i];
            var s = scores[row];
            var y = labels[row];
            var decided = hasPredictions ? predictions[row] == 1 : s >= threshold;
            d.Scores[i] = s;
            d.Weights[i] = frequencies.IsEmpty ? 1 : frequencies[row];
            d.Total += d.Weights[i];
            d.Flags[i] |= (byte)(y | (decided ? DecisionBit : 0));
            if ((d.Flags[i] & GroupStartBit) != 0)
            {
                g++;
                d.GroupScore[g] = s;
                d.GroupLossPositive[g] = RowLogLoss(s, 1);
                d.GroupLossNegative[g] = RowLogLoss(s, 0);
                d.GroupBin[g] = (byte)EceBin(s);
            }
        }

        SegmentColumns.Offsets(segments, out var accumulators).CopyTo(d.Offsets, 0);
        for (var c = 0; c < segments.Count; c++)
        {
            var source = segments[c].Codes.Span;
            var codes = new int[n];
            for (var i = 0; i < n; i++)
            {
                codes[i] = source[d.Order[i]];
            }
            d.Codes[c] = codes;
        }
        d.AccumulatorCount = accumulators;
        d.Weighted = !frequencies.IsEmpty;
        return d;
    }

    /// <summary>The ECE bin of a score: min(floor(10·s), 9), i.e. [0, 0.1), [0.1, 0.2), …, [0.9, 1].</summary>
    public static int EceBin(double score) => Math.Min((int)(score * 10), 9);

    /// <summary>
    /// One row's log loss exactly as scikit-learn 1.2 computes it: the score is clipped to
    /// [eps, 1 − eps] with eps the float64 machine epsilon, the pair (1 − p, p) renormalised, and the
    /// negative log of the label's share taken.
    /// </summary>
    public static double RowLogLoss(double score, int label)
    {
        const double eps = 2.220446049250313e-16;
        var p = Math.Clamp(score, eps, 1 - eps);
        var q = 1 - p;
        var sum = q + p;
        return -Math.Log((label == 1 ? p : q) / sum);
    }
}
