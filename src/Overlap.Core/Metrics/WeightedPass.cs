using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlap.Core.Metrics;

/// <summary>
/// One scan over <see cref="SortedBinaryData"/> with an integer weight per row (1 for the point estimate,
/// the bootstrap draw count for a replicate) that fills, for the overall accumulator and every segment
/// value at once, what every metric needs. A weight of w is exactly w copies of the row.
/// </summary>
/// <remarks>
/// Per row only the weight is added to the row's confusion cell. Everything
/// that depends on the score is added once per tie group when the group is committed, because all rows of
/// a group share the score: ROC AUC counts the group's negatives below every positive committed before and
/// tied pairs half; average precision adds the recall step times the precision at the group's end, as
/// scikit-learn does; Brier, log loss and the ECE residual are the group's positive and negative weights
/// times per-group constants. Segment accumulators commit lazily, when their next row of a later group
/// arrives. The overall accumulator lives in locals, the segments in <c>state</c>.
/// </remarks>
internal static class WeightedPass
{
    // Results, read by the metric functions below.
    public const int Tn = 0,
        Fp = 1,
        Fn = 2,
        Tp = 3,
        Brier = 4,
        Loss = 5,
        CumNeg = 6,
        CumPos = 7,
        AucNumerator = 8,
        ApSum = 9;

    // What the scan has committed so far (the confusion cells Tn..Tp, indexed (label << 1) | decision, run as it goes).
    public const int CommittedWeight = 10,
        CommittedPos = 11;

    /// <summary>Per ECE bin, the weighted sum of (label − score).</summary>
    public const int Bins = 12;

    public const int Stride = Bins + 10;

    /// <summary>Fills <paramref name="state"/> (AccumulatorCount × Stride) from one weighted scan.</summary>
    public static void Run(SortedBinaryData data, ReadOnlySpan<int> weights, Span<double> state, Span<int> lastGroup)
    {
        state.Clear();
        lastGroup.Fill(-1);
        ref var s0 = ref MemoryMarshal.GetReference(state);
        var flags = data.Flags;
        var codes = data.Codes;
        var offsets = data.Offsets;
        var groupScore = data.GroupScore;
        var lossPos = data.GroupLossPositive;
        var lossNeg = data.GroupLossNegative;
        var groupBin = data.GroupBin;
        if (weights.Length != flags.Length)
        {
            throw new ArgumentException("One weight per example is needed.", nameof(weights));
        }

        // The overall accumulator, in locals so the hot loop stays in registers.
        long w = 0,
            pos = 0,
            flagged = 0,
            flaggedPos = 0,
            committedW = 0,
            committedPos = 0;
        double auc = 0,
            ap = 0,
            brier = 0,
            loss = 0,
            binResidual = 0;
        Span<double> bins = stackalloc double[10];
        bins.Clear();
        var bin = 0;
        var group = -1;
        for (var i = 0; i < flags.Length; i++)
        {
            int f = flags[i];
            if ((f & SortedBinaryData.GroupStartBit) != 0)
            {
                if (group >= 0)
                {
                    // Commit the group that just ended (the same arithmetic as CommitSegment).
                    var gp = pos - committedPos;
                    var gn = w - committedW - gp;
                    double dp = gp,
                        dn = gn,
                        cp = committedPos,
                        cn = committedW - committedPos;
                    auc += (dn * cp) + (0.5 * dp * dn);
                    committedPos = pos;
                    committedW = w;
                    cp += dp;
                    ap += dp * cp / Math.Max(cp + cn + dn, 1);
                    var s = groupScore[group];
                    brier += (dp * (1 - s) * (1 - s)) + (dn * s * s);
                    loss += (dp * lossPos[group]) + (dn * lossNeg[group]);
                    if (groupBin[group] != bin)
                    {
                        bins[bin] += binResidual;
                        binResidual = 0;
                        bin = groupBin[group];
                    }
                    binResidual += dp - ((dp + dn) * s);
                }
                group++;
            }
            long x = weights[i];
            long y = f & SortedBinaryData.LabelBit;
            long p = (f >> 1) & 1;
            w += x;
            pos += x * y;
            flagged += x * p;
            flaggedPos += x * (y & p);
            var cell = ((f & SortedBinaryData.LabelBit) << 1) | ((f >> 1) & 1);

            // A row drawn zero times adds nothing to a segment (about a third of the rows of a replicate).
            for (var c = 0; c < codes.Length && x != 0; c++)
            {
                var code = codes[c][i];
                if (code >= 0)
                {
                    ref var a = ref Unsafe.Add(ref s0, (offsets[c] + code) * Stride);
                    ref var last = ref lastGroup[offsets[c] + code];
                    if (last != group)
                    {
                        if (last >= 0)
                        {
                            CommitSegment(ref a, data, last);
                        }
                        last = group;
                    }
                    Unsafe.Add(ref a, cell) += x;
                }
            }
        }

        // The overall accumulator goes to slot 0 and commits its last group like a segment.
        ref var o = ref s0;
        Unsafe.Add(ref o, Tp) = flaggedPos;
        Unsafe.Add(ref o, Fp) = flagged - flaggedPos;
        Unsafe.Add(ref o, Fn) = pos - flaggedPos;
        Unsafe.Add(ref o, Tn) = w - flagged - (pos - flaggedPos);
        Unsafe.Add(ref o, CommittedWeight) = committedW;
        Unsafe.Add(ref o, CommittedPos) = committedPos;
        Unsafe.Add(ref o, AucNumerator) = auc;
        Unsafe.Add(ref o, ApSum) = ap;
        Unsafe.Add(ref o, Brier) = brier;
        Unsafe.Add(ref o, Loss) = loss;
        bins[bin] += binResidual;
        for (var b = 0; b < 10; b++)
        {
            Unsafe.Add(ref o, Bins + b) = bins[b];
        }
        lastGroup[0] = group;
        for (var j = 0; j < lastGroup.Length; j++)
        {
            ref var a = ref Unsafe.Add(ref s0, j * Stride);
            if (lastGroup[j] >= 0)
            {
                CommitSegment(ref a, data, lastGroup[j]);
            }
            Finish(ref a);
        }
    }

    public static Confusion Confusion(ReadOnlySpan<double> a) =>
        new((long)a[Tp], (long)a[Fp], (long)a[Fn], (long)a[Tn]);

    public static double Total(ReadOnlySpan<double> a) => a[Tp] + a[Fp] + a[Fn] + a[Tn];

    /// <summary>2tp / (2tp + fp + fn); NaN when there are no positives and nothing flagged.</summary>
    public static double F1(ReadOnlySpan<double> a)
    {
        var d = (2 * a[Tp]) + a[Fp] + a[Fn];
        return d > 0 ? 2 * a[Tp] / d : double.NaN;
    }

    public static double Precision(ReadOnlySpan<double> a) => Ratio(a[Tp], a[Tp] + a[Fp]);

    public static double Recall(ReadOnlySpan<double> a) => Ratio(a[Tp], a[Tp] + a[Fn]);

    public static double FalsePositiveRate(ReadOnlySpan<double> a) => Ratio(a[Fp], a[Fp] + a[Tn]);

    public static double RocAuc(ReadOnlySpan<double> a)
    {
        var pairs = a[CumPos] * a[CumNeg];
        return pairs > 0 ? a[AucNumerator] / pairs : double.NaN;
    }

    public static double PrAuc(ReadOnlySpan<double> a) => Ratio(a[ApSum], a[CumPos]);

    public static double BrierScore(ReadOnlySpan<double> a) => Ratio(a[Brier], Total(a));

    public static double LogLoss(ReadOnlySpan<double> a) => Ratio(a[Loss], Total(a));

    public static double Ece(ReadOnlySpan<double> a)
    {
        var total = Total(a);
        if (total <= 0)
        {
            return double.NaN;
        }
        var sum = 0.0;
        for (var b = 0; b < 10; b++)
        {
            sum += Math.Abs(a[Bins + b]);
        }
        return sum / total;
    }

    public static double Ratio(double numerator, double denominator) =>
        denominator > 0 ? numerator / denominator : double.NaN;

    /// <summary>Adds the rows of tie group <paramref name="group"/> received since the last commit.</summary>
    private static void CommitSegment(ref double a, SortedBinaryData data, int group)
    {
        var pos = Unsafe.Add(ref a, Fn) + Unsafe.Add(ref a, Tp);
        var w = Unsafe.Add(ref a, Tn) + Unsafe.Add(ref a, Fp) + pos;
        var dp = pos - Unsafe.Add(ref a, CommittedPos);
        var dn = w - Unsafe.Add(ref a, CommittedWeight) - dp;
        var cp = Unsafe.Add(ref a, CommittedPos);
        var cn = Unsafe.Add(ref a, CommittedWeight) - cp;
        // Each of the group's negatives sits below every positive committed before; tied pairs count half.
        Unsafe.Add(ref a, AucNumerator) += (dn * cp) + (0.5 * dp * dn);
        Unsafe.Add(ref a, CommittedPos) = pos;
        Unsafe.Add(ref a, CommittedWeight) = w;
        cp += dp;
        // Average precision: the recall step times the precision at this threshold.
        Unsafe.Add(ref a, ApSum) += dp * cp / Math.Max(cp + cn + dn, 1);
        var s = data.GroupScore[group];
        Unsafe.Add(ref a, Brier) += (dp * (1 - s) * (1 - s)) + (dn * s * s);
        Unsafe.Add(ref a, Loss) += (dp * data.GroupLossPositive[group]) + (dn * data.GroupLossNegative[group]);
        Unsafe.Add(ref a, Bins + data.GroupBin[group]) += dp - ((dp + dn) * s);
    }

    /// <summary>Sets the ranking totals (every group is committed by now).</summary>
    private static void Finish(ref double a)
    {
        Unsafe.Add(ref a, CumPos) = Unsafe.Add(ref a, CommittedPos);
        Unsafe.Add(ref a, CumNeg) = Unsafe.Add(ref a, CommittedWeight) - Unsafe.Add(ref a, CommittedPos);
    }
}
