using System.Text.Json;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Statistics;

/// <summary>The latency sketch against numpy's percentiles and scipy's order-statistic ranks (make_sketch_fixtures.py).</summary>
public sealed class QuantileSketchTests
{
    private const double Alpha = QuantileSketch.DefaultRelativeAccuracy;

    private static JsonElement Fixtures()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "quantile", "sketch_fixtures.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    private static (double[] Values, JsonElement Case) Latencies(string name)
    {
        var c = Fixtures().GetProperty("latencies").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        return ([.. c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())], c);
    }

    private static QuantileSketch Sketch(IEnumerable<double> values)
    {
        var sketch = new QuantileSketch();
        foreach (var v in values)
        {
            sketch.Add(v);
        }
        return sketch;
    }

    private static void Within(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= (Alpha * Math.Abs(expected)) + 1e-9, $"{what}: expected {expected} within {Alpha:P1}, got {actual}");

    [Theory]
    [InlineData("small")]
    [InlineData("large")]
    public void Percentiles_and_their_intervals_are_within_the_relative_accuracy_of_numpy_and_scipy(string name)
    {
        var (values, c) = Latencies(name);
        var sketch = Sketch(values);
        Assert.Equal(values.Length, sketch.Count);
        Assert.Equal((c.GetProperty("min").GetDouble(), c.GetProperty("max").GetDouble()), (sketch.Min, sketch.Max));
        var confidence = Fixtures().GetProperty("confidence").GetDouble();
        foreach (var q in c.GetProperty("quantiles").EnumerateArray())
        {
            var p = q.GetProperty("q").GetDouble();
            Within(q.GetProperty("point").GetDouble(), sketch.Quantile(p), $"p{p * 100}");
            var interval = sketch.OrderStatisticInterval(p, confidence);
            Within(q.GetProperty("low").GetDouble(), interval.Low, $"p{p * 100} low");
            Within(q.GetProperty("high").GetDouble(), interval.High, $"p{p * 100} high");
        }
    }

    [Fact]
    public void Every_rank_is_within_the_relative_accuracy_of_the_exact_order_statistic()
    {
        var (values, _) = Latencies("small");
        var sketch = Sketch(values);
        var sorted = values.Order().ToArray();
        for (var k = 1; k <= sorted.Length; k++)
        {
            Within(sorted[k - 1], sketch.ValueAtRank(k), $"rank {k}");
        }
        Assert.Equal(sorted[0], sketch.ValueAtRank(0));
        Assert.Equal(sorted[^1], sketch.ValueAtRank(sorted.Length + 5));
    }

    [Fact]
    public void The_merge_of_ten_chunks_is_the_sketch_of_the_whole_and_survives_a_round_trip()
    {
        var (values, _) = Latencies("large");
        var whole = Sketch(values);
        var merged = new QuantileSketch();
        foreach (var chunk in values.Chunk(2_000))
        {
            merged.Merge(Sketch(chunk));
        }
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            merged.Write(writer);
        }
        stream.Position = 0;
        var read = QuantileSketch.Read(new BinaryReader(stream));
        foreach (var sketch in new[] { merged, read })
        {
            Assert.Equal((whole.Count, whole.Min, whole.Max), (sketch.Count, sketch.Min, sketch.Max));
            for (var k = 1; k <= whole.Count; k += 97)
            {
                Assert.Equal(whole.ValueAtRank(k), sketch.ValueAtRank(k));
            }
        }
    }

    [Fact]
    public void Not_sent_is_ignored_negative_is_refused_empty_is_unknown()
    {
        var sketch = new QuantileSketch();
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.Equal(Interval.Unknown, sketch.OrderStatisticInterval(0.5, 0.95));
        sketch.Add(double.NaN);
        Assert.Equal(0, sketch.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => sketch.Merge(new QuantileSketch(0.01)));
        sketch.Add(12.5, 3);
        Assert.Equal((3L, 12.5, 12.5), (sketch.Count, sketch.Quantile(0.5), sketch.Quantile(0.99)));
    }
}
