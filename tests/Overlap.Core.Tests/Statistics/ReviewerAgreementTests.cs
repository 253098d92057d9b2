using System.Text.Json;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Statistics;

/// <summary>Reviewer agreement against sklearn's cohen_kappa_score and statsmodels' Wilson interval (Fixtures/agreement).</summary>
public sealed class ReviewerAgreementTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture().EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }
        return data;
    }

    private static JsonElement Fixture() =>
        JsonDocument
            .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "agreement", "agreement.json")))
            .RootElement.GetProperty("cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Agreement_EqualsSklearnKappa_AndStatsmodelsWilson(string name)
    {
        var c = Fixture().EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var pairs = c.GetProperty("pairs")
            .EnumerateArray()
            .Select(p => (p[0].GetString()!, p[1].GetString()!))
            .ToList();

        var agreement = ReviewerAgreement.Of(pairs, c.GetProperty("confidence").GetDouble());

        Assert.Equal(pairs.Count, agreement.Cases);
        Assert.Equal(c.GetProperty("agreeing").GetInt64(), agreement.Agreeing);
        Assert.Equal(c.GetProperty("share").GetDouble(), agreement.Share, 12);
        Assert.Equal(c.GetProperty("low").GetDouble(), agreement.Interval.Low, 9);
        Assert.Equal(c.GetProperty("high").GetDouble(), agreement.Interval.High, 9);
        if (c.GetProperty("kappa").ValueKind == JsonValueKind.Null)
        {
            Assert.True(double.IsNaN(agreement.Kappa));
        }
        else
        {
            Assert.Equal(c.GetProperty("kappa").GetDouble(), agreement.Kappa, 12);
        }
    }

    [Fact]
    public void NoCase_SaysNothing()
    {
        var agreement = ReviewerAgreement.Of([], 0.95);

        Assert.Equal(0, agreement.Cases);
        Assert.True(double.IsNaN(agreement.Share));
        Assert.False(agreement.Interval.IsKnown);
        Assert.True(double.IsNaN(agreement.Kappa));
    }
}
