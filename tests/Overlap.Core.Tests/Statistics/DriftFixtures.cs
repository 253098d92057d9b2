using System.Text.Json;

namespace Overlap.Core.Tests.Statistics;

/// <summary>Reads Fixtures/drift/drift_fixtures.json (written by make_drift_fixtures.py beside it).</summary>
internal static class DriftFixtures
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "drift", "drift_fixtures.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    public static JsonElement Get(string section) => Root.Value.GetProperty(section);

    public static IEnumerable<JsonElement> Cases(string section) => Get(section).EnumerateArray();

    public static double[] Doubles(this JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble())];

    public static long[] Longs(this JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetInt64())];

    public static double Number(this JsonElement e, string name) => e.GetProperty(name).GetDouble();

    public static string[] Strings(this JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!)];

    /// <summary>Relative 1e-9, or absolute 1e-12 for tiny values.</summary>
    public static void AssertPValue(double expected, double actual, string because)
    {
        var ok = Math.Abs(expected - actual) <= Math.Max(1e-12, 1e-9 * Math.Abs(expected));
        Assert.True(ok, $"{because}: expected {expected:R}, got {actual:R}");
    }

    public static void AssertStatistic(double expected, double actual, string because) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9, $"{because}: expected {expected:R}, got {actual:R}");
}
