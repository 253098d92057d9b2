using System.Text.Json;
using Overlap.Core.Metrics;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Metrics;

/// <summary>McNemar against statsmodels and the paired comparison's point differences against scikit-learn.</summary>
public sealed class PairedComparisonTests
{
    private static readonly JsonElement Fixtures = Load();

    [Fact]
    public void McNemar_MatchesStatsmodels_ExactBelow25DiscordantPairsElseCorrectedChiSquare()
    {
        foreach (var c in Fixtures.GetProperty("mcnemar").EnumerateArray())
        {
            var result = McNemar.Test(c.GetProperty("b").GetInt64(), c.GetProperty("c").GetInt64());
            var where = $"b={c.GetProperty("b")} c={c.GetProperty("c")}";
            Assert.True(c.GetProperty("exact").GetBoolean() == result.Exact, where);
            Assert.True(
                Math.Abs(c.GetProperty("statistic").GetDouble() - result.Statistic) <= 1e-9,
                $"{where} statistic {result.Statistic}"
            );
            var p = c.GetProperty("p_value").GetDouble();
            Assert.True(Math.Abs(p - result.PValue) <= Math.Max(1e-12, 1e-9 * p), $"{where} p {result.PValue} vs {p}");
        }
    }

    [Fact]
    public void PairedDifferences_AreTheDifferencesOfTheSklearnFigures_AndTheDiscordantCountsMatch()
    {
        var pair = Fixtures.GetProperty("pair");
        var labels = pair.GetProperty("labels").EnumerateArray().Select(e => (byte)e.GetInt32()).ToArray();
        var a = new BinarySample(pair.GetProperty("a").EnumerateArray().Select(e => e.GetDouble()).ToArray(), labels);
        var b = new BinarySample(pair.GetProperty("b").EnumerateArray().Select(e => e.GetDouble()).ToArray(), labels);
        var result = PairedComparison.Compare(
            a,
            b,
            new BinaryOptions { Threshold = pair.GetProperty("threshold").GetDouble(), Resamples = 300 }
        );
        Assert.Equal(pair.GetProperty("only_a_right").GetInt64(), result.OnlyARight);
        Assert.Equal(pair.GetProperty("only_b_right").GetInt64(), result.OnlyBRight);
        foreach (
            var metric in new[]
            {
                BinaryMetricNames.RocAuc,
                BinaryMetricNames.PrAuc,
                BinaryMetricNames.Brier,
                BinaryMetricNames.LogLoss,
            }
        )
        {
            var expected = pair.GetProperty(metric);
            var d = result.Differences[metric];
            Assert.Equal(expected[0].GetDouble(), d.A, 1e-9);
            Assert.Equal(expected[1].GetDouble(), d.B, 1e-9);
            Assert.Equal(expected[1].GetDouble() - expected[0].GetDouble(), d.Difference, 1e-9);
            Assert.True(
                d.Interval.Low <= d.Difference && d.Difference <= d.Interval.High,
                $"{metric}: {d.Difference} outside {d.Interval}"
            );
        }
        // Model b separates the classes much better on this data: a real difference, not noise.
        Assert.True(result.Differences[BinaryMetricNames.RocAuc].IsReal);
    }

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(
            File.ReadAllText(
                Path.Combine(AppContext.BaseDirectory, "Fixtures", "comparison", "comparison_fixtures.json")
            )
        );
        return document.RootElement.Clone();
    }
}
