using System.Text.Json;
using Overlap.Core.Statistics;
using Overlap.Core.Tests.Text;

namespace Overlap.Core.Tests.Statistics;

public sealed class MmdTests
{
    private static JsonElement Case(string name) =>
        TextDriftFixtures.Get("mmd").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static List<float[]> Rows(JsonElement c, string side) =>
        [.. c.GetProperty(side).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray())];

    [Theory]
    [InlineData("same")]
    [InlineData("shifted")]
    [InlineData("odd_total")]
    public void Test_FixedVectors_MatchesNumpy(string name)
    {
        var c = Case(name);
        var r = Mmd.Test(Rows(c, "x"), Rows(c, "y"), 199, 15);
        DriftFixtures.AssertStatistic(c.Number("mmd2"), r.Statistic, $"MMD² ({name})");
        DriftFixtures.AssertStatistic(c.Number("sigma"), r.Sigma, $"sigma ({name})");
    }

    [Fact]
    public void Test_PermutationPValue_SmallForAShiftLargeForNone()
    {
        var shifted = Case("shifted");
        var same = Case("same");
        Assert.Equal(1.0 / 200, Mmd.Test(Rows(shifted, "x"), Rows(shifted, "y"), 199, 15).PValue, 12);
        Assert.InRange(Mmd.Test(Rows(same, "x"), Rows(same, "y"), 199, 15).PValue, 0.05, 1);
    }
}
