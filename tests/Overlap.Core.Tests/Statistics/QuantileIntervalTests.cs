using System.Text.Json;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Statistics;

/// <summary>Order-statistic intervals for quantiles against scipy.stats.binom (make_quantile_fixtures.py).</summary>
public sealed class QuantileIntervalTests
{
    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Fixtures().Count)];

    private static List<JsonElement> Fixtures()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "quantile", "quantile_fixtures.json");
        return [.. JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray()];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Interval_MatchesScipysBinomialQuantiles(int index)
    {
        var c = Fixtures()[index];
        var values = c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).Order().ToArray();
        var q = c.GetProperty("q").GetDouble();
        var confidence = c.GetProperty("confidence").GetDouble();
        var alpha = 1 - confidence;
        Assert.Equal(
            c.GetProperty("low_index").GetInt32(),
            QuantileInterval.BinomialQuantile(alpha / 2, values.Length, q)
        );
        Assert.Equal(
            c.GetProperty("high_index").GetInt32(),
            QuantileInterval.BinomialQuantile(1 - (alpha / 2), values.Length, q) + 1
        );
        var interval = QuantileInterval.OrderStatistic(values, q, confidence);
        Assert.Equal(
            (c.GetProperty("low").GetDouble(), c.GetProperty("high").GetDouble()),
            (interval.Low, interval.High)
        );
        Assert.Equal(c.GetProperty("point").GetDouble(), Bootstrap.Quantile(values, q), 1e-9);
    }

    [Fact]
    public void NoValues_GiveNoInterval() =>
        Assert.Equal(Interval.Unknown, QuantileInterval.OrderStatistic([], 0.95, 0.95));
}
