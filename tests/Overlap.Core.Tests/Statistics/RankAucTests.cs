using Overlap.Core.Statistics;
using Overlap.Core.Tests.Text;

namespace Overlap.Core.Tests.Statistics;

public sealed class RankAucTests
{
    public static TheoryData<string> Cases() =>
        [.. TextDriftFixtures.Get("auc").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Of_ScoreSamples_MatchesScikitLearn(string name)
    {
        var c = TextDriftFixtures.Get("auc").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        DriftFixtures.AssertStatistic(
            c.Number("auc"),
            RankAuc.Of(c.Doubles("positives"), c.Doubles("negatives")),
            $"ROC AUC ({name})"
        );
    }

    [Fact]
    public void Of_EmptySide_IsNaN() => Assert.True(double.IsNaN(RankAuc.Of([1.0], [])));
}
