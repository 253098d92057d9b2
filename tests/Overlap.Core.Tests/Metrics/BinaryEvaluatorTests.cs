using System.Text.Json;
using Overlap.Core.Metrics;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Metrics;

/// <summary>
/// The binary engine against scikit-learn and statsmodels figures (Fixtures/binary/make_binary_fixtures.py):
/// point metrics and Wilson intervals to 1e-9, overall and per segment value; the threshold sweep and the
/// cost-optimal threshold exactly; and each bootstrap replicate equal to the metric recomputed naively on
/// the rows the replicate drew.
/// </summary>
public sealed class BinaryEvaluatorTests
{
    private const double Tolerance = 1e-9;

    private static readonly JsonElement Fixtures = Load();

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixtures.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PointMetricsAndWilsonIntervals_MatchSklearnAndStatsmodels_OverallAndPerSegment(string name)
    {
        var c = Case(name);
        var (sample, segments) = Sample(c);
        var result = BinaryEvaluator.Evaluate(sample, Options(c) with { Resamples = 0 });

        AssertGroup(c.GetProperty("overall"), result.Overall, $"{name} overall");
        foreach (var column in result.Segments)
        {
            var expected = c.GetProperty("by_segment").GetProperty(column.Column);
            Assert.Equal(expected.EnumerateObject().Count(), column.Values.Count);
            foreach (var group in column.Values)
            {
                AssertGroup(expected.GetProperty(group.Value!), group, $"{name} {column.Column}={group.Value}");
            }
        }
        Assert.Equal(segments.Count, result.Segments.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThresholdSweepAndOptimum_MatchABruteForceCount(string name)
    {
        var c = Case(name);
        var (sample, _) = Sample(c);
        var result = BinaryEvaluator.Evaluate(sample, Options(c) with { Resamples = 0 });
        var sweep = c.GetProperty("sweep").EnumerateArray().ToList();
        Assert.Equal(sweep.Count, result.Thresholds.Sweep.Count);
        for (var k = 0; k < sweep.Count; k++)
        {
            var e = sweep[k];
            var p = result.Thresholds.Sweep[k];
            Assert.Equal(e.GetProperty("threshold").GetDouble(), p.Threshold);
            Assert.Equal(new Confusion(Long(e, "tp"), Long(e, "fp"), Long(e, "fn"), Long(e, "tn")), p.Confusion);
            Assert.Equal(e.GetProperty("cost").GetDouble(), p.Cost, Tolerance);
        }
        var optimum = c.GetProperty("optimum");
        var threshold = optimum.GetProperty("threshold");
        Assert.Equal(
            threshold.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : threshold.GetDouble(),
            result.Thresholds.Optimum.Threshold
        );
        Assert.Equal(optimum.GetProperty("cost").GetDouble(), result.Thresholds.Optimum.Cost, Tolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BootstrapReplicate_EqualsTheMetricsRecomputedOnTheDrawnRows(string name)
    {
        var c = Case(name);
        var (sample, _) = Sample(c);
        var options = Options(c);
        var data = SortedBinaryData.Create(sample.Scores.Span, sample.Labels.Span, default, options.Threshold, []);
        var counts = new int[data.Length];
        var state = new double[data.AccumulatorCount * WeightedPass.Stride];
        var last = new int[data.AccumulatorCount];
        var engine = new double[BinaryBootstrap.MetricCount];
        foreach (var replicate in new[] { 0, 1, 17 })
        {
            // The engine draws counts over rows in score order; expand those rows by hand.
            Bootstrap.FillCounts(counts, options.Seed, replicate);
            WeightedPass.Run(data, counts, state, last);
            BinaryBootstrap.Extract(state.AsSpan(0, WeightedPass.Stride), engine);

            var scores = new List<double>();
            var labels = new List<int>();
            for (var i = 0; i < data.Length; i++)
            {
                for (var k = 0; k < counts[i]; k++)
                {
                    scores.Add(data.Scores[i]);
                    labels.Add(data.Flags[i] & SortedBinaryData.LabelBit);
                }
            }
            var naive = Naive(scores, labels, options.Threshold);
            for (var m = 0; m < engine.Length; m++)
            {
                Assert.True(
                    Close(naive[m], engine[m], 1e-12),
                    $"{name} replicate {replicate} {BinaryMetricNames.Bootstrapped[m]}: naive {naive[m]}, engine {engine[m]}"
                );
            }
        }
    }

    [Fact]
    public void BootstrapIntervals_RepeatExactlyAndDoNotDependOnThreads()
    {
        var c = Case("balanced_continuous");
        var (sample, _) = Sample(c);
        var one = BinaryEvaluator.Evaluate(sample, Options(c) with { Resamples = 200, MaxDegreeOfParallelism = 1 });
        var many = BinaryEvaluator.Evaluate(sample, Options(c) with { Resamples = 200, MaxDegreeOfParallelism = 4 });
        foreach (var metric in BinaryMetricNames.Bootstrapped)
        {
            Assert.Equal(one.Overall[metric].Interval, many.Overall[metric].Interval);
            Assert.True(one.Overall[metric].Interval.IsKnown);
            Assert.InRange(
                one.Overall[metric].Value,
                one.Overall[metric].Interval.Low - 0.05,
                one.Overall[metric].Interval.High + 0.05
            );
        }
        for (var s = 0; s < one.Segments[0].Values.Count; s++)
        {
            Assert.Equal(
                one.Segments[0].Values[s][BinaryMetricNames.RocAuc].Interval,
                many.Segments[0].Values[s][BinaryMetricNames.RocAuc].Interval
            );
        }
    }

    /// <summary>F1, ROC AUC (ties half), average precision (sklearn's step sum), Brier, log loss (sklearn's clipping), ECE.</summary>
    private static double[] Naive(List<double> scores, List<int> labels, double threshold)
    {
        var n = scores.Count;
        long tp = 0,
            fp = 0,
            fn = 0;
        for (var i = 0; i < n; i++)
        {
            var flagged = scores[i] >= threshold;
            tp += flagged && labels[i] == 1 ? 1 : 0;
            fp += flagged && labels[i] == 0 ? 1 : 0;
            fn += !flagged && labels[i] == 1 ? 1 : 0;
        }
        var f1 = (2 * tp) + fp + fn > 0 ? 2.0 * tp / ((2 * tp) + fp + fn) : double.NaN;

        var pos = labels.Count(l => l == 1);
        var neg = n - pos;
        double auc = 0;
        var positives = Enumerable.Range(0, n).Where(i => labels[i] == 1).Select(i => scores[i]).ToArray();
        var negatives = Enumerable.Range(0, n).Where(i => labels[i] == 0).Select(i => scores[i]).ToArray();
        Array.Sort(negatives);
        foreach (var p in positives)
        {
            var below = LowerBound(negatives, p);
            var tied = LowerBound(negatives, Math.BitIncrement(p)) - below;
            auc += below + (0.5 * tied);
        }
        auc = pos > 0 && neg > 0 ? auc / ((double)pos * neg) : double.NaN;

        double ap = 0;
        var distinct = scores.Distinct().OrderDescending().ToArray();
        long cumPos = 0,
            cumAll = 0;
        foreach (var t in distinct)
        {
            var atPos = Enumerable.Range(0, n).Count(i => scores[i] == t && labels[i] == 1);
            var atAll = scores.Count(s => s == t);
            cumPos += atPos;
            cumAll += atAll;
            ap += (double)atPos / pos * cumPos / cumAll;
        }
        ap = pos > 0 ? ap : double.NaN;

        double brier = 0,
            loss = 0;
        var binGap = new double[10];
        for (var i = 0; i < n; i++)
        {
            brier += (labels[i] - scores[i]) * (labels[i] - scores[i]);
            loss += SortedBinaryData.RowLogLoss(scores[i], labels[i]);
            binGap[SortedBinaryData.EceBin(scores[i])] += labels[i] - scores[i];
        }
        var ece = binGap.Sum(Math.Abs) / n;
        return [f1, auc, ap, brier / n, loss / n, ece];
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0,
            hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static void AssertGroup(JsonElement expected, GroupMetrics actual, string where)
    {
        Assert.Equal(expected.GetProperty("n").GetInt64(), actual.N);
        var confusion = expected.GetProperty("confusion");
        Assert.Equal(
            new Confusion(Long(confusion, "tp"), Long(confusion, "fp"), Long(confusion, "fn"), Long(confusion, "tn")),
            actual.Confusion
        );
        foreach (var metric in BinaryMetricNames.All)
        {
            var e = expected.GetProperty(metric);
            var a = actual[metric];
            if (e.ValueKind == JsonValueKind.Null)
            {
                Assert.True(double.IsNaN(a.Value), $"{where} {metric}: expected undefined, got {a.Value}");
                continue;
            }
            if (e.ValueKind == JsonValueKind.Array)
            {
                Assert.True(
                    Close(e[0].GetDouble(), a.Value, Tolerance),
                    $"{where} {metric}: {e[0].GetDouble()} vs {a.Value}"
                );
                Assert.True(
                    Close(e[1][0].GetDouble(), a.Interval.Low, Tolerance),
                    $"{where} {metric} low: {e[1][0].GetDouble()} vs {a.Interval.Low}"
                );
                Assert.True(
                    Close(e[1][1].GetDouble(), a.Interval.High, Tolerance),
                    $"{where} {metric} high: {e[1][1].GetDouble()} vs {a.Interval.High}"
                );
            }
            else
            {
                Assert.True(
                    Close(e.GetDouble(), a.Value, Tolerance),
                    $"{where} {metric}: {e.GetDouble()} vs {a.Value}"
                );
            }
        }
    }

    private static bool Close(double expected, double actual, double tolerance) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= tolerance;

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    private static BinaryOptions Options(JsonElement c) =>
        new()
        {
            Threshold = c.GetProperty("threshold").GetDouble(),
            CostFalsePositive = c.GetProperty("cost_fp").GetDouble(),
            CostFalseNegative = c.GetProperty("cost_fn").GetDouble(),
            Confidence = Fixtures.GetProperty("confidence").GetDouble(),
        };

    private static (BinarySample Sample, List<SegmentColumn> Segments) Sample(JsonElement c)
    {
        var scores = c.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var labels = c.GetProperty("labels").EnumerateArray().Select(e => (byte)e.GetInt32()).ToArray();
        var segments = new List<SegmentColumn>();
        foreach (var column in c.GetProperty("segments").EnumerateObject())
        {
            var raw = column.Value.EnumerateArray().Select(e => e.GetString()!).ToArray();
            var values = raw.Distinct().Order(StringComparer.Ordinal).ToList();
            var codes = raw.Select(v => values.IndexOf(v)).ToArray();
            segments.Add(new SegmentColumn(column.Name, codes, values));
        }
        return (new BinarySample(scores, labels, default, segments), segments);
    }

    private static JsonElement Case(string name) =>
        Fixtures.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static JsonElement Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "binary", "binary_fixtures.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
