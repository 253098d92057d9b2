using System.Text.Json;
using Overlap.Core.Metrics;

namespace Overlap.Core.Tests.Metrics;

/// <summary>
/// Rows that stand for many examples (merged window summaries): checked against scikit-learn's and statsmodels'
/// figures with the frequencies as sample weights, and against the same rows written out one example each.
/// </summary>
public sealed class WeightedBinaryEvaluatorTests
{
    private sealed record Case(
        double[] Scores,
        byte[] Labels,
        int[] Codes,
        string[] Values,
        int[] Frequencies,
        JsonElement Expected
    );

    private static Case Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "binary", "weighted_fixtures.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var c = document
            .RootElement.GetProperty("cases")
            .EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == name)
            .Clone();
        return new Case(
            MetricFixtures.Doubles(c.GetProperty("scores")),
            [.. MetricFixtures.Ints(c.GetProperty("labels")).Select(l => (byte)l)],
            MetricFixtures.Ints(c.GetProperty("codes")),
            [.. c.GetProperty("segment_values").EnumerateArray().Select(v => v.GetString()!)],
            MetricFixtures.Ints(c.GetProperty("frequencies")),
            c
        );
    }

    private static BinarySample Weighted(Case c) =>
        new(c.Scores, c.Labels, default, [new SegmentColumn("group", c.Codes, c.Values)], c.Frequencies);

    /// <summary>The same rows, each repeated as many times as its frequency.</summary>
    private static BinarySample Expanded(Case c)
    {
        var rows = Enumerable
            .Range(0, c.Scores.Length)
            .SelectMany(i => Enumerable.Repeat(i, c.Frequencies[i]))
            .ToArray();
        return new BinarySample(
            rows.Select(i => c.Scores[i]).ToArray(),
            rows.Select(i => c.Labels[i]).ToArray(),
            default,
            [new SegmentColumn("group", rows.Select(i => c.Codes[i]).ToArray(), c.Values)]
        );
    }

    private static void Matches(JsonElement expected, GroupMetrics actual, string what)
    {
        Assert.Equal(expected.GetProperty("n").GetInt64(), actual.N);
        var confusion = expected.GetProperty("confusion");
        Assert.Equal(
            new Confusion(
                confusion.GetProperty("tp").GetInt64(),
                confusion.GetProperty("fp").GetInt64(),
                confusion.GetProperty("fn").GetInt64(),
                confusion.GetProperty("tn").GetInt64()
            ),
            actual.Confusion
        );
        foreach (
            var name in new[]
            {
                BinaryMetricNames.Recall,
                BinaryMetricNames.Precision,
                BinaryMetricNames.FalsePositiveRate,
                BinaryMetricNames.Accuracy,
            }
        )
        {
            MetricFixtures.Wilson(expected.GetProperty(name), actual[name], $"{what} {name}");
        }
        foreach (
            var name in new[]
            {
                BinaryMetricNames.F1,
                BinaryMetricNames.RocAuc,
                BinaryMetricNames.PrAuc,
                BinaryMetricNames.Brier,
                BinaryMetricNames.LogLoss,
                BinaryMetricNames.Ece,
            }
        )
        {
            MetricFixtures.Close(expected.GetProperty(name).GetDouble(), actual[name].Value, 1e-9, $"{what} {name}");
        }
    }

    [Theory]
    [InlineData("small")]
    [InlineData("larger")]
    public void Frequencies_give_sklearn_weighted_figures_overall_and_per_segment(string name)
    {
        var c = Load(name);
        var result = BinaryEvaluator.Evaluate(Weighted(c), new BinaryOptions { Threshold = 0.5, Resamples = 0 });

        Assert.Equal(c.Frequencies.Sum(), result.N);
        Matches(c.Expected.GetProperty("overall"), result.Overall, "overall");
        foreach (var group in result.Segments.Single().Values)
        {
            Matches(c.Expected.GetProperty("segments").GetProperty(group.Value!), group, $"segment {group.Value}");
        }
        MetricFixtures.Close(
            c.Expected.GetProperty("overall").GetProperty("ece").GetDouble(),
            result.Calibration.Ece,
            1e-9,
            "calibration ece"
        );
    }

    [Fact]
    public void Frequencies_equal_the_rows_written_out_for_the_threshold_sweep_calibration_and_optimum()
    {
        var c = Load("small");
        var options = new BinaryOptions
        {
            Threshold = 0.5,
            Resamples = 0,
            CostFalsePositive = 5,
            CostFalseNegative = 1,
        };
        var weighted = BinaryEvaluator.Evaluate(Weighted(c), options);
        var expanded = BinaryEvaluator.Evaluate(Expanded(c), options);

        Assert.Equal(expanded.Thresholds.Optimum, weighted.Thresholds.Optimum);
        Assert.Equal(expanded.Thresholds.Sweep, weighted.Thresholds.Sweep);
        for (var b = 0; b < expanded.Calibration.Bins.Count; b++)
        {
            var (e, w) = (expanded.Calibration.Bins[b], weighted.Calibration.Bins[b]);
            Assert.Equal((e.Count, e.ObservedRate, e.Interval), (w.Count, w.ObservedRate, w.Interval));
            MetricFixtures.Close(e.MeanScore, w.MeanScore, 1e-12, $"bin {b} mean score");
        }
    }

    [Fact]
    public void The_poisson_bootstrap_of_frequencies_agrees_with_the_bootstrap_of_the_rows_written_out()
    {
        var c = Load("larger");
        var options = new BinaryOptions { Threshold = 0.5, Resamples = 1000 };
        var weighted = BinaryEvaluator.Evaluate(Weighted(c), options);
        var expanded = BinaryEvaluator.Evaluate(Expanded(c), options);

        foreach (var name in BinaryMetricNames.Bootstrapped)
        {
            var w = weighted.Overall[name].Interval;
            var e = expanded.Overall[name].Interval;
            var width = e.High - e.Low;
            Assert.True(width > 0, name);
            // Two different draws of the same bootstrap distribution: the ends agree to a fraction of the width.
            Assert.True(
                Math.Abs(w.Low - e.Low) < 0.2 * width && Math.Abs(w.High - e.High) < 0.2 * width,
                $"{name}: weighted [{w.Low}, {w.High}] vs rows [{e.Low}, {e.High}]"
            );
        }
        // The same seed repeats a weighted run exactly.
        Assert.Equal(
            weighted.Overall[BinaryMetricNames.RocAuc],
            BinaryEvaluator.Evaluate(Weighted(c), options).Overall[BinaryMetricNames.RocAuc]
        );
    }

    [Fact]
    public void A_negative_or_missing_frequency_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            new BinarySample(new double[] { 0.1, 0.9 }, new byte[] { 0, 1 }, default, null, new[] { 1, -1 })
        );
        Assert.Throws<ArgumentException>(() =>
            new BinarySample(new double[] { 0.1, 0.9 }, new byte[] { 0, 1 }, default, null, new[] { 1 })
        );
    }
}
