namespace Overlap.Core.Metrics;

/// <summary>Threshold sweep, cost-optimal threshold and chart curves, from the presorted scores.</summary>
internal static class ThresholdAnalysis
{
    /// <summary>Most points kept on a chart curve.</summary>
    public const int MaxCurvePoints = 200;

    public static ThresholdReport Analyze(SortedBinaryData data, Confusion current, BinaryOptions options)
    {
        var (threshold, costFp, costFn) = (options.Threshold, options.CostFalsePositive, options.CostFalseNegative);
        // Cumulative counts at the end of each tie group: rows with score >= that group's score.
        var groups = data.GroupCount;
        var groupScore = new double[groups];
        var cumPos = new long[groups];
        var cumNeg = new long[groups];
        long pos = 0,
            neg = 0;
        var g = -1;
        for (var i = 0; i < data.Length; i++)
        {
            if ((data.Flags[i] & SortedBinaryData.GroupStartBit) != 0)
            {
                g++;
                groupScore[g] = data.Scores[i];
            }
            if ((data.Flags[i] & SortedBinaryData.LabelBit) != 0)
            {
                pos += data.Weights[i];
            }
            else
            {
                neg += data.Weights[i];
            }
            cumPos[g] = pos;
            cumNeg[g] = neg;
        }
        var n = data.Total;

        Confusion At(int flaggedGroups) =>
            flaggedGroups == 0
                ? new Confusion(0, 0, pos, neg)
                : new Confusion(
                    cumPos[flaggedGroups - 1],
                    cumNeg[flaggedGroups - 1],
                    pos - cumPos[flaggedGroups - 1],
                    neg - cumNeg[flaggedGroups - 1]
                );

        var sweep = new ThresholdPoint[101];
        var flagged = 0;
        for (var k = 100; k >= 0; k--)
        {
            var t = k / 100.0;
            while (flagged < groups && groupScore[flagged] >= t)
            {
                flagged++;
            }
            sweep[k] = Point(t, At(flagged), costFp, costFn, n);
        }

        // Exact optimum over "flag nothing" and every distinct score; only a strictly lower cost moves
        // the choice down, so ties stay at the higher threshold. "Flag nothing" is a real threshold: halfway
        // between the highest score and 1 (none when a score is 1, since no threshold in [0, 1] flags nothing then).
        ThresholdPoint? best = null,
            kept = null;
        void Consider(ThresholdPoint candidate)
        {
            if (best is null || candidate.Cost < best.Value.Cost)
            {
                best = candidate;
            }
            if (
                options.Keeps is { } keeps
                && (kept is null || candidate.Cost < kept.Value.Cost)
                && keeps(candidate.Confusion)
            )
            {
                kept = candidate;
            }
        }
        var top = groups > 0 ? groupScore[0] : 0;
        if (top < 1)
        {
            Consider(Point((top + 1) / 2, At(0), costFp, costFn, n));
        }
        for (var j = 0; j < groups; j++)
        {
            Consider(Point(groupScore[j], At(j + 1), costFp, costFn, n));
        }

        var roc = new CurvePoint[groups + 1];
        var pr = new CurvePoint[groups + 1];
        roc[0] = new CurvePoint(0, 0, double.PositiveInfinity);
        pr[0] = new CurvePoint(0, 1, double.PositiveInfinity);
        for (var j = 0; j < groups; j++)
        {
            var recall = WeightedPass.Ratio(cumPos[j], pos);
            roc[j + 1] = new CurvePoint(WeightedPass.Ratio(cumNeg[j], neg), recall, groupScore[j]);
            pr[j + 1] = new CurvePoint(recall, (double)cumPos[j] / (cumPos[j] + cumNeg[j]), groupScore[j]);
        }

        return new ThresholdReport
        {
            Sweep = sweep,
            Optimum = best!.Value,
            Kept = options.Keeps is null ? best.Value : kept,
            Current = Point(threshold, current, costFp, costFn, n),
            Roc = Downsample(roc),
            PrecisionRecall = Downsample(pr),
        };
    }

    public static ThresholdPoint Point(double threshold, Confusion c, double costFp, double costFn, long n)
    {
        var cost = (c.Fp * costFp) + (c.Fn * costFn);
        return new ThresholdPoint(
            threshold,
            c.Tp,
            c.Fp,
            c.Fn,
            c.Tn,
            WeightedPass.Ratio(c.Tp, c.PredictedPositives),
            WeightedPass.Ratio(c.Tp, c.Positives),
            WeightedPass.Ratio(c.Fp, c.Negatives),
            cost,
            WeightedPass.Ratio(1000 * cost, n)
        );
    }

    /// <summary>At most <see cref="MaxCurvePoints"/> evenly spaced points, the first and last always kept.</summary>
    public static CurvePoint[] Downsample(CurvePoint[] points)
    {
        if (points.Length <= MaxCurvePoints)
        {
            return points;
        }
        var kept = new CurvePoint[MaxCurvePoints];
        var last = points.Length - 1;
        for (var i = 0; i < MaxCurvePoints; i++)
        {
            kept[i] = points[(int)Math.Round((double)i * last / (MaxCurvePoints - 1))];
        }
        return kept;
    }
}
