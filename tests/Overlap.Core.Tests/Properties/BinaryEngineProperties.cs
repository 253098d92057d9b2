using FsCheck.Xunit;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Properties;

/// <summary>
/// Invariants of the binary engine on arbitrary data. Scores come from bytes (0..255 → [0, 1], so ties are
/// common), labels and segment codes from bits of the same bytes.
/// </summary>
public sealed class BinaryEngineProperties
{
    private static (BinarySample Sample, int[] Codes) Make(byte[] raw, byte[] labelBits)
    {
        var n = raw.Length;
        var scores = raw.Select(b => b / 255.0).ToArray();
        var labels = new byte[n];
        var codes = new int[n];
        for (var i = 0; i < n; i++)
        {
            var bits = labelBits.Length == 0 ? i : labelBits[i % labelBits.Length] + i;
            labels[i] = (byte)(bits & 1);
            codes[i] = ((bits >> 1) % 4) - 1; // −1 (missing) .. 2
        }
        var segment = new SegmentColumn("s", codes, ["a", "b", "c"]);
        return (new BinarySample(scores, labels, default, [segment]), codes);
    }

    [Property(MaxTest = 200)]
    public bool SegmentConfusions_AddUpToTheRowsThatHaveAValue(byte[] raw, byte[] labelBits)
    {
        var (sample, codes) = Make(raw, labelBits);
        var result = BinaryEvaluator.Evaluate(sample, new BinaryOptions { Resamples = 0, Threshold = 0.5 });
        var sum = result.Segments[0].Values.Aggregate(new Confusion(0, 0, 0, 0), (acc, g) => acc + g.Confusion);
        return sum.Total == codes.Count(c => c >= 0) && result.Overall.Confusion.Total == raw.Length;
    }

    [Property(MaxTest = 200)]
    public bool EveryBoundedMetric_LiesInZeroOne_AndWilsonIntervalsHoldTheirPoint(byte[] raw, byte[] labelBits)
    {
        var (sample, _) = Make(raw, labelBits);
        var result = BinaryEvaluator.Evaluate(sample, new BinaryOptions { Resamples = 0, Threshold = 0.3 });
        foreach (var group in result.Segments[0].Values.Append(result.Overall))
        {
            foreach (var (name, m) in group.Metrics)
            {
                if (double.IsNaN(m.Value))
                {
                    continue;
                }
                if (MetricCatalog.Find(name)!.Bounded && (m.Value < -1e-12 || m.Value > 1 + 1e-12))
                {
                    return false;
                }
                if (
                    BinaryMetricNames.Proportions.Contains(name)
                    && !(m.Interval.Low <= m.Value + 1e-12 && m.Value <= m.Interval.High + 1e-12)
                )
                {
                    return false;
                }
            }
        }
        return true;
    }

    [Property(MaxTest = 150)]
    public bool RocAuc_OfFlippedScores_IsOneMinusTheAuc(byte[] raw, byte[] labelBits)
    {
        var (sample, _) = Make(raw, labelBits);
        var flipped = new BinarySample(sample.Scores.ToArray().Select(s => 1 - s).ToArray(), sample.Labels);
        var auc = BinaryEvaluator
            .Evaluate(sample, new BinaryOptions { Resamples = 0 })
            .Overall[BinaryMetricNames.RocAuc]
            .Value;
        var other = BinaryEvaluator
            .Evaluate(flipped, new BinaryOptions { Resamples = 0 })
            .Overall[BinaryMetricNames.RocAuc]
            .Value;
        return double.IsNaN(auc) ? double.IsNaN(other) : Math.Abs(auc + other - 1) < 1e-12;
    }

    [Property(MaxTest = 100)]
    public bool CostOptimalThreshold_CostsNoMoreThanAnySweepThreshold(byte[] raw, byte[] labelBits, byte fpCost)
    {
        var (sample, _) = Make(raw, labelBits);
        var options = new BinaryOptions
        {
            Resamples = 0,
            CostFalsePositive = 1 + fpCost,
            CostFalseNegative = 7,
        };
        var t = BinaryEvaluator.Evaluate(sample, options).Thresholds;
        return t.Sweep.All(p => t.Optimum.Cost <= p.Cost + 1e-9) && t.Optimum.Cost <= t.Current.Cost + 1e-9;
    }

    [Property(MaxTest = 300)]
    public bool Verdicts_FollowTheInterval(double low, double width, double bar)
    {
        if (!double.IsFinite(low) || !double.IsFinite(width) || !double.IsFinite(bar))
        {
            return true;
        }
        var high = low + Math.Abs(width);
        var min = Judge.Interval(Bound.Min, bar, low, high);
        var max = Judge.Interval(Bound.Max, bar, low, high);
        var minOk =
            low >= bar ? min == Verdict.Pass
            : high < bar ? min == Verdict.Fail
            : min == Verdict.Inconclusive;
        var maxOk =
            high <= bar ? max == Verdict.Pass
            : low > bar ? max == Verdict.Fail
            : max == Verdict.Inconclusive;
        return minOk && maxOk;
    }

    [Property(MaxTest = 300)]
    public bool Wilson_StaysInZeroOne_AndNarrowsWithMoreData(byte successes, byte extra)
    {
        var trials = successes + extra + 1;
        var small = Wilson.Interval(successes, trials, 0.95);
        var large = Wilson.Interval(successes * 10, trials * 10, 0.95);
        return small.Low >= 0 && small.High <= 1 && large.High - large.Low < small.High - small.Low;
    }
}
