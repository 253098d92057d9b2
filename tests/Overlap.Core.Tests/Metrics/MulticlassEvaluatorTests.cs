using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using Overlap.Core.Metrics;
using static Overlap.Core.Tests.Metrics.MetricFixtures;

namespace Overlap.Core.Tests.Metrics;

public sealed class MulticlassEvaluatorTests
{
    private const string File = "multiclass_cases.json";

    private static (MulticlassSample Sample, JsonElement Case) Load(string name)
    {
        var c = Case(File, name);
        var classes = c.GetProperty("classes").EnumerateArray().Select(x => x.GetString()!).ToArray();
        return (
            new MulticlassSample(
                Ints(c.GetProperty("labels")),
                Ints(c.GetProperty("predictions")),
                classes,
                Columns(c)
            ),
            c
        );
    }

    [Theory]
    [InlineData("imbalanced")]
    [InlineData("never_predicted")]
    [InlineData("absent_in_segment")]
    public void Evaluate_FixtureCase_MatchesSklearnAndStatsmodels(string name)
    {
        var (sample, c) = Load(name);
        var result = MulticlassEvaluator.Evaluate(sample, new MulticlassOptions { Resamples = 20 });
        CheckAllGroups(c, result.Overall, [.. result.Segments.Select(s => (s.Column, s.Values))], CheckGroup);
    }

    private static void CheckGroup(JsonElement expected, MulticlassGroupMetrics actual, string what)
    {
        Assert.Equal(expected.GetProperty("n").GetInt64(), actual.N);
        var rows = expected
            .GetProperty("confusion")
            .EnumerateArray()
            .Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray())
            .ToArray();
        Assert.Equal(rows, actual.Confusion.ToRows());
        Wilson(expected.GetProperty("accuracy"), actual[MulticlassMetricNames.Accuracy], what + " accuracy");
        foreach (var metric in MulticlassMetricNames.Averages)
        {
            Close(
                Number(expected.GetProperty("metrics").GetProperty(metric)),
                actual[metric].Value,
                1e-9,
                $"{what} {metric}"
            );
            Assert.Equal(actual.N, actual[metric].N);
        }
        var classes = expected.GetProperty("classes").EnumerateArray().ToArray();
        Assert.Equal(classes.Length, actual.Classes.Count);
        for (var k = 0; k < classes.Length; k++)
        {
            var cls = actual.Classes[k];
            Assert.Equal(classes[k].GetProperty("support").GetInt64(), cls.Support);
            Assert.Equal(classes[k].GetProperty("predicted").GetInt64(), cls.Predicted);
            Wilson(
                classes[k].GetProperty("precision"),
                cls[MulticlassMetricNames.Precision],
                $"{what} {cls.Class} precision"
            );
            Wilson(classes[k].GetProperty("recall"), cls[MulticlassMetricNames.Recall], $"{what} {cls.Class} recall");
            Close(
                Number(classes[k].GetProperty("f1")),
                cls[MulticlassMetricNames.F1].Value,
                1e-9,
                $"{what} {cls.Class} f1"
            );
        }
    }

    [Theory]
    [InlineData("imbalanced", 0)]
    [InlineData("imbalanced", 417)]
    [InlineData("absent_in_segment", 3)]
    [InlineData("never_predicted", 999)]
    public void Replicate_EqualsNaiveMetricsOnTheRepeatedRows(string name, int replicate)
    {
        var (sample, _) = Load(name);
        const ulong seed = 12345;
        var engine = MulticlassEvaluator.Replicate(sample, seed, replicate);
        var counts = Counts(sample.Count, seed, replicate);
        var groups = Groups([.. sample.Segments]);
        var k = sample.Classes.Count;
        var metricCount = 4 + k;
        Assert.Equal(groups.Count * metricCount, engine.Length);
        for (var j = 0; j < groups.Count; j++)
        {
            // Expand the rows of the group by hand: row i appears counts[i] times.
            var y = new List<int>();
            var p = new List<int>();
            for (var i = 0; i < sample.Count; i++)
            {
                for (var copy = 0; copy < counts[i] && groups[j](i); copy++)
                {
                    y.Add(sample.Labels.Span[i]);
                    p.Add(sample.Predictions.Span[i]);
                }
            }
            var expected = NaiveMetrics(y, p, k);
            for (var m = 0; m < metricCount; m++)
            {
                Close(expected[m], engine[(j * metricCount) + m], 1e-12, $"group {j} metric {m}");
            }
        }
    }

    /// <summary>macro F1, weighted F1, macro precision, macro recall, per-class F1, straight from the definitions.</summary>
    private static double[] NaiveMetrics(List<int> y, List<int> p, int k)
    {
        var result = new double[4 + k];
        if (y.Count == 0)
        {
            result.AsSpan().Fill(double.NaN);
            return result;
        }
        double f1Sum = 0,
            weighted = 0,
            pSum = 0,
            rSum = 0;
        for (var c = 0; c < k; c++)
        {
            var tp = y.Where((t, i) => t == c && p[i] == c).Count();
            var predicted = p.Count(x => x == c);
            var support = y.Count(x => x == c);
            var precision = predicted == 0 ? 0 : (double)tp / predicted;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            f1Sum += f1;
            weighted += f1 * support;
            pSum += precision;
            rSum += recall;
            result[4 + c] = support + predicted == 0 ? double.NaN : f1;
        }
        result[0] = f1Sum / k;
        result[1] = weighted / y.Count;
        result[2] = pSum / k;
        result[3] = rSum / k;
        return result;
    }

    [Fact]
    public void Evaluate_SameSeed_RepeatsExactly_AndIntervalsAreKnown()
    {
        var (sample, _) = Load("imbalanced");
        var a = MulticlassEvaluator.Evaluate(sample, new MulticlassOptions { Resamples = 200 });
        var b = MulticlassEvaluator.Evaluate(sample, new MulticlassOptions { Resamples = 200 });
        foreach (var metric in MulticlassMetricNames.Averages)
        {
            Assert.Equal(a.Overall[metric], b.Overall[metric]);
            Assert.True(a.Overall[metric].Interval.IsKnown);
            Assert.True(a.Overall[metric].Interval.Low <= a.Overall[metric].Interval.High);
        }
    }

    [Fact]
    public void Evaluate_EmptySample_GivesNaNAndUnknownIntervals()
    {
        var result = MulticlassEvaluator.Evaluate(
            new MulticlassSample(Array.Empty<int>(), Array.Empty<int>(), ["a", "b"])
        );
        Assert.Equal(0, result.N);
        Assert.All(MulticlassMetricNames.All, m => Assert.True(double.IsNaN(result.Overall[m].Value)));
        Assert.False(result.Overall[MulticlassMetricNames.MacroF1].Interval.IsKnown);
    }

    [Fact]
    public void Sample_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MulticlassSample(new[] { 0, 2 }, new[] { 0, 1 }, ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new MulticlassSample(new[] { 0, 1 }, new[] { 0 }, ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new MulticlassSample(new[] { 0 }, new[] { 0 }, []));
        Assert.Throws<ArgumentException>(() =>
            new MulticlassSample(new[] { 0 }, new[] { 0 }, ["a"], [new SegmentColumn("s", new[] { 1 }, ["x"])])
        );
        var ok = new MulticlassSample(new[] { 0 }, new[] { 0 }, ["a"]);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MulticlassEvaluator.Evaluate(ok, new MulticlassOptions { Confidence = 1 })
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MulticlassEvaluator.Evaluate(ok, new MulticlassOptions { Resamples = -1 })
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MulticlassEvaluator.Evaluate(ok, new MulticlassOptions { MaxDegreeOfParallelism = 0 })
        );
    }

    private static MulticlassSample Random(int[] raw, int k)
    {
        var labels = raw.Select(x => (int)((uint)x % (uint)k)).ToArray();
        var predictions = raw.Select((x, i) => (int)((uint)(x / 7 + i) % (uint)k)).ToArray();
        var codes = raw.Select((x, i) => ((i * 31) + x) % 3 == 0 ? -1 : (int)((uint)(i + x) % 2u)).ToArray();
        return new MulticlassSample(
            labels,
            predictions,
            [.. Enumerable.Range(0, k).Select(c => $"c{c}")],
            [new SegmentColumn("s", codes, ["u", "v"])]
        );
    }

    private static IEnumerable<MulticlassGroupMetrics> AllGroups(MulticlassResult r) =>
        r.Segments.SelectMany(s => s.Values).Prepend(r.Overall);

    [Property(MaxTest = 40)]
    public void Property_ProportionIntervalsContainPointAndMetricsInRange(int[] raw, PositiveInt classes)
    {
        var k = 1 + (classes.Get % 5);
        var result = MulticlassEvaluator.Evaluate(Random(raw, k), new MulticlassOptions { Resamples = 30 });
        foreach (var g in AllGroups(result))
        {
            var proportions = g
                .Classes.SelectMany(c => new[] { c[MulticlassMetricNames.Precision], c[MulticlassMetricNames.Recall] })
                .Append(g[MulticlassMetricNames.Accuracy]);
            foreach (var m in proportions.Where(m => !double.IsNaN(m.Value)))
            {
                Assert.InRange(m.Value, m.Interval.Low - 1e-12, m.Interval.High + 1e-12);
            }
            foreach (
                var v in g
                    .Metrics.Values.Concat(g.Classes.SelectMany(c => c.Metrics.Values))
                    .Where(v => !double.IsNaN(v.Value))
            )
            {
                Assert.InRange(v.Value, 0, 1);
                if (v.Interval.IsKnown)
                {
                    Assert.InRange(v.Interval.Low, 0, v.Interval.High);
                    Assert.InRange(v.Interval.High, v.Interval.Low, 1);
                }
            }
        }
    }

    [Property(MaxTest = 20)]
    public void Property_ResultsIndependentOfParallelism(int[] raw, PositiveInt classes)
    {
        var sample = Random(raw, 1 + (classes.Get % 4));
        var one = MulticlassEvaluator.Evaluate(
            sample,
            new MulticlassOptions { Resamples = 40, MaxDegreeOfParallelism = 1 }
        );
        var two = MulticlassEvaluator.Evaluate(
            sample,
            new MulticlassOptions { Resamples = 40, MaxDegreeOfParallelism = 3 }
        );
        foreach (var (a, b) in AllGroups(one).Zip(AllGroups(two)))
        {
            Assert.Equal(a.Metrics.OrderBy(x => x.Key), b.Metrics.OrderBy(x => x.Key));
            Assert.Equal(
                a.Classes.SelectMany(c => c.Metrics.OrderBy(x => x.Key)),
                b.Classes.SelectMany(c => c.Metrics.OrderBy(x => x.Key))
            );
        }
    }
}
