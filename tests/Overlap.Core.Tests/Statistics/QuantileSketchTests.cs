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
        var c = Fixtures()
            .GetProperty("latencies")
            .EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == name);
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

    private static byte[] Bytes(QuantileSketch sketch)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            sketch.Write(writer);
        }
        return stream.ToArray();
    }

    private static void Within(double expected, double actual, string what) =>
        Assert.True(
            Math.Abs(actual - expected) <= (Alpha * Math.Abs(expected)) + 1e-9,
            $"{what}: expected {expected} within {Alpha:P1}, got {actual}"
        );

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
        // The written form holds the count, min, max, zero bucket and every bucket: equal bytes are equal sketches.
        Assert.Equal(Bytes(whole), Bytes(merged));
        using var stream = new MemoryStream(Bytes(merged));
        var read = QuantileSketch.Read(new BinaryReader(stream));
        Assert.Equal(Bytes(whole), Bytes(read));
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
    public void A_sketch_merged_into_itself_counts_every_value_twice()
    {
        var (values, _) = Latencies("small");
        var once = Sketch(values);
        once.Merge(once);
        Assert.Equal(Bytes(Sketch(values.Concat(values))), Bytes(once));
    }

    [Fact]
    public void Counts_beyond_int_take_scipys_binomial_ranks()
    {
        var alpha = 1 - Fixtures().GetProperty("confidence").GetDouble();
        foreach (var c in Fixtures().GetProperty("binomial_ranks").EnumerateArray())
        {
            var n = c.GetProperty("n").GetInt64();
            var q = c.GetProperty("q").GetDouble();
            // Exact at 3·10⁹; at 10¹¹ MathNet's incomplete beta may move a rank by a few parts in 10¹⁰.
            var tolerance = n <= 5_000_000_000 ? 0 : n * 1e-9;
            Assert.InRange(
                QuantileInterval.BinomialQuantile(alpha / 2, n, q) - c.GetProperty("low").GetInt64(),
                -tolerance,
                tolerance
            );
            Assert.InRange(
                QuantileInterval.BinomialQuantile(1 - (alpha / 2), n, q) - c.GetProperty("high").GetInt64(),
                -tolerance,
                tolerance
            );
        }
        // Three billion latencies, half at 10 ms and half at 100 ms: the median's interval straddles the two.
        var sketch = new QuantileSketch();
        sketch.Add(10, 1_500_000_000);
        sketch.Add(100, 1_500_000_000);
        var interval = sketch.OrderStatisticInterval(0.5, 0.95);
        Within(10, interval.Low, "p50 low");
        Within(100, interval.High, "p50 high");
        Within(100, sketch.OrderStatisticInterval(0.95, 0.95).Low, "p95 low");
        Within(10, sketch.Quantile(0.25), "p25");
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
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(1, -1));
        Assert.Throws<ArgumentException>(() => sketch.Merge(new QuantileSketch(0.01)));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(double.NaN));
        sketch.Add(12.5, 3);
        Assert.Equal((3L, 12.5, 12.5), (sketch.Count, sketch.Quantile(0.5), sketch.Quantile(0.99)));
    }
}
