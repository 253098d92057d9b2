using System.Text.Json;
using Overlap.Core.Metrics;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Metrics;

/// <summary>Reads the sklearn/statsmodels fixtures and compares figures.</summary>
internal static class MetricFixtures
{
    public static JsonElement Case(string file, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics", file);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == name)
            {
                return c.Clone();
            }
        }
        throw new InvalidOperationException($"No case {name} in {file}.");
    }

    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    public static int[] Ints(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetInt32())];

    public static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetDouble())];

    public static SegmentColumn[] Columns(JsonElement c) =>
        [
            .. c.GetProperty("columns")
                .EnumerateArray()
                .Select(col => new SegmentColumn(
                    col.GetProperty("name").GetString()!,
                    Ints(col.GetProperty("codes")),
                    [.. col.GetProperty("values").EnumerateArray().Select(v => v.GetString()!)]
                )),
        ];

    /// <summary>Equal within <paramref name="tolerance"/> relative to the expected magnitude (at least 1); NaN equals NaN.</summary>
    public static void Close(double expected, double actual, double tolerance, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual}");
            return;
        }
        Assert.True(
            Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R}"
        );
    }

    /// <summary>A Wilson figure: value, interval and n as statsmodels gave them.</summary>
    public static void Wilson(JsonElement expected, MetricEstimate actual, string what)
    {
        Close(Number(expected.GetProperty("value")), actual.Value, 1e-9, what);
        Close(Number(expected.GetProperty("ci_low")), actual.Interval.Low, 1e-9, what + " low");
        Close(Number(expected.GetProperty("ci_high")), actual.Interval.High, 1e-9, what + " high");
        Assert.Equal(expected.GetProperty("n").GetInt64(), actual.N);
    }

    /// <summary>The draw counts of replicate r, as the engines take them.</summary>
    public static int[] Counts(int n, ulong seed, int replicate)
    {
        var counts = new int[n];
        Bootstrap.FillCounts(counts, seed, replicate);
        return counts;
    }

    /// <summary>Whether a row belongs to accumulator j (0 overall, then each value of each column in order).</summary>
    public static List<Func<int, bool>> Groups(SegmentColumn[] columns)
    {
        var groups = new List<Func<int, bool>> { _ => true };
        foreach (var column in columns)
        {
            for (var v = 0; v < column.Values.Count; v++)
            {
                var code = v;
                var codes = column.Codes;
                groups.Add(row => codes.Span[row] == code);
            }
        }
        return groups;
    }

    /// <summary>
    /// Checks the overall group and every segment value of a fixture case against the engine's, with
    /// <paramref name="check"/>(expected, actual, label).
    /// </summary>
    public static void CheckAllGroups<TGroup>(
        JsonElement c,
        TGroup overall,
        IReadOnlyList<(string Column, IReadOnlyList<TGroup> Values)> segments,
        Action<JsonElement, TGroup, string> check
    )
    {
        var name = c.GetProperty("name").GetString()!;
        check(c.GetProperty("overall"), overall, name);
        var expected = c.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, segments.Count);
        for (var s = 0; s < expected.Length; s++)
        {
            var values = expected[s].GetProperty("values").EnumerateArray().ToArray();
            Assert.Equal(values.Length, segments[s].Values.Count);
            for (var v = 0; v < values.Length; v++)
            {
                check(values[v], segments[s].Values[v], $"{name} {segments[s].Column}[{v}]");
            }
        }
    }
}
