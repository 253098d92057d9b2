using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using Overlap.Core.Metrics;
using static Overlap.Core.Tests.Metrics.MetricFixtures;

namespace Overlap.Core.Tests.Metrics;

public sealed class RegressionEvaluatorTests
{
    private const string File = "regression_cases.json";

    private static (RegressionSample Sample, JsonElement Case) Load(string name)
    {
        var c = Case(File, name);
        return (
            new RegressionSample(Doubles(c.GetProperty("targets")), Doubles(c.GetProperty("predictions")), Columns(c)),
            c
        );
    }

    [Theory]
    [InlineData("constant_segments")]
    [InlineData("zeros_in_target")]
    [InlineData("even_ties_offset")]
    public void Evaluate_FixtureCase_MatchesSklearn(string name)
    {
        var (sample, c) = Load(name);
        var result = RegressionEvaluator.Evaluate(sample, new RegressionOptions { Resamples = 20 });
        CheckAllGroups(c, result.Overall, [.. result.Segments.Select(s => (s.Column, s.Values))], CheckGroup);
    }

    private static void CheckGroup(JsonElement expected, RegressionGroupMetrics actual, string what)
    {
        Assert.Equal(expected.GetProperty("n").GetInt64(), actual.N);
        foreach (var metric in RegressionMetricNames.All)
        {
            Close(
                Number(expected.GetProperty("metrics").GetProperty(metric)),
                actual[metric].Value,
                1e-9,
                $"{what} {metric}"
            );
            Assert.Equal(actual.N, actual[metric].N);
        }
    }

    [Fact]
    public void Evaluate_ConstantTarget_FollowsSklearnR2Rule()
    {
        var (sample, _) = Load("constant_segments");
        var band = RegressionEvaluator.Evaluate(sample, new RegressionOptions { Resamples = 50 }).Segments[0].Values;
        Assert.Equal(0.0, band[2][RegressionMetricNames.R2].Value);
        Assert.Equal(1.0, band[3][RegressionMetricNames.R2].Value);
        Assert.True(double.IsNaN(band[4][RegressionMetricNames.R2].Value));
        Assert.Equal(0, band[5].N);
        Assert.True(double.IsNaN(band[5][RegressionMetricNames.Mae].Value));
    }

    [Theory]
    [InlineData("constant_segments", 0)]
    [InlineData("constant_segments", 731)]
    [InlineData("zeros_in_target", 5)]
    [InlineData("even_ties_offset", 1)]
    [InlineData("even_ties_offset", 2)]
    public void Replicate_EqualsNaiveMetricsOnTheRepeatedRows(string name, int replicate)
    {
        var (sample, _) = Load(name);
        const ulong seed = 99;
        var (order, engine) = RegressionEvaluator.Replicate(sample, seed, replicate);
        var counts = Counts(sample.Count, seed, replicate);
        var groups = Groups([.. sample.Segments]);
        const int metricCount = 5;
        Assert.Equal(groups.Count * metricCount, engine.Length);
        for (var j = 0; j < groups.Count; j++)
        {
            // Counts index the rows in the engine's sorted order: position i stands for row order[i].
            var y = new List<double>();
            var p = new List<double>();
            for (var i = 0; i < counts.Length; i++)
            {
                var row = order[i];
                for (var copy = 0; copy < counts[i] && groups[j](row); copy++)
                {
                    y.Add(sample.Targets.Span[row]);
                    p.Add(sample.Predictions.Span[row]);
                }
            }
            var expected = NaiveMetrics(y, p);
            for (var m = 0; m < metricCount; m++)
            {
                Close(
                    expected[m],
                    engine[(j * metricCount) + m],
                    1e-12,
                    $"group {j} metric {RegressionMetricNames.All[m]}"
                );
            }
        }
    }

    /// <summary>mae, rmse, r2, mape, median_ae straight from sklearn's definitions on the repeated rows.</summary>
    private static double[] NaiveMetrics(List<double> y, List<double> p)
    {
        var n = y.Count;
        if (n == 0)
        {
            return [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];
        }
        var errors = y.Select((t, i) => Math.Abs(p[i] - t)).ToArray();
        var mae = errors.Average();
        var rmse = Math.Sqrt(y.Select((t, i) => (p[i] - t) * (p[i] - t)).Average());
        var mean = y.Average();
        var sse = y.Select((t, i) => (t - p[i]) * (t - p[i])).Sum();
        var sst = y.Select(t => (t - mean) * (t - mean)).Sum();
        var r2 =
            n < 2 ? double.NaN
            : y.All(t => t == y[0]) ? (sse == 0 ? 1 : 0)
            : 1 - (sse / sst);
        var mape = y.Select((t, i) => Math.Abs(p[i] - t) / Math.Max(Math.Abs(t), 2.220446049250313e-16)).Average();
        Array.Sort(errors);
        var median = n % 2 == 1 ? errors[n / 2] : (errors[(n / 2) - 1] + errors[n / 2]) / 2;
        return [mae, rmse, r2, mape, median];
    }

    [Fact]
    public void Sample_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RegressionSample(new[] { 1.0, 2.0 }, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => new RegressionSample(new[] { double.NaN }, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => new RegressionSample(new[] { 1.0 }, new[] { double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() =>
            new RegressionSample(new[] { 1.0 }, new[] { 1.0 }, [new SegmentColumn("s", new[] { 0, 1 }, ["a"])])
        );
        var ok = new RegressionSample(new[] { 1.0 }, new[] { 1.0 });
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            RegressionEvaluator.Evaluate(ok, new RegressionOptions { Confidence = 0 })
        );
    }

    private static RegressionSample Random(int[] raw)
    {
        var targets = raw.Select(x => (x % 17) / 4.0).ToArray();
        var predictions = raw.Select((x, i) => ((x / 3) % 13) / 4.0 + (i % 2)).ToArray();
        var codes = raw.Select((x, i) => (int)((uint)(i + x) % 3u) - 1).ToArray();
        return new RegressionSample(targets, predictions, [new SegmentColumn("s", codes, ["u", "v"])]);
    }

    private static IEnumerable<RegressionGroupMetrics> AllGroups(RegressionResult r) =>
        r.Segments.SelectMany(s => s.Values).Prepend(r.Overall);

    [Property(MaxTest = 40)]
    public void Property_MetricsInRange(int[] raw)
    {
        var result = RegressionEvaluator.Evaluate(Random(raw), new RegressionOptions { Resamples = 30 });
        foreach (var g in AllGroups(result))
        {
            foreach (
                var name in new[]
                {
                    RegressionMetricNames.Mae,
                    RegressionMetricNames.Rmse,
                    RegressionMetricNames.Mape,
                    RegressionMetricNames.MedianAe,
                }
            )
            {
                var v = g[name];
                Assert.True(double.IsNaN(v.Value) == (g.N == 0));
                if (g.N > 0)
                {
                    Assert.True(v.Value >= 0);
                    Assert.True(!v.Interval.IsKnown || (v.Interval.Low >= 0 && v.Interval.Low <= v.Interval.High));
                }
            }
            Assert.True(g[RegressionMetricNames.Mae].Value <= g[RegressionMetricNames.Rmse].Value + 1e-12 || g.N == 0);
            var r2 = g[RegressionMetricNames.R2].Value;
            Assert.True(double.IsNaN(r2) || r2 <= 1);
        }
    }

    [Property(MaxTest = 20)]
    public void Property_ResultsIndependentOfParallelism(int[] raw)
    {
        var sample = Random(raw);
        var one = RegressionEvaluator.Evaluate(
            sample,
            new RegressionOptions { Resamples = 40, MaxDegreeOfParallelism = 1 }
        );
        var two = RegressionEvaluator.Evaluate(
            sample,
            new RegressionOptions { Resamples = 40, MaxDegreeOfParallelism = 3 }
        );
        foreach (var (a, b) in AllGroups(one).Zip(AllGroups(two)))
        {
            Assert.Equal(a.Metrics.OrderBy(x => x.Key), b.Metrics.OrderBy(x => x.Key));
        }
    }
}
