using System.Text.Json;
using Overlap.Core.Generative;

namespace Overlap.Core.Tests.Generative;

/// <summary>
/// A model judge's agreement with people against sklearn's cohen_kappa_score, statsmodels' cohens_kappa and Wilson
/// interval, and Newcombe's paired interval computed from statsmodels' Wilson bounds (Fixtures/judge_agreement).
/// </summary>
public sealed class JudgeAgreementTests
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
            .Parse(
                File.ReadAllText(
                    Path.Combine(AppContext.BaseDirectory, "Fixtures", "judge_agreement", "judge_agreement.json")
                )
            )
            .RootElement.GetProperty("cases");

    private static (JsonElement Case, JudgeAgreement Agreement) Run(string name)
    {
        var c = Fixture().EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var criterion = new RubricCriterion
        {
            Name = "factual",
            Question = "Is every fact supported?",
            Scale = c.GetProperty("scale").GetString() == "1-5" ? RubricScale.OneToFive : RubricScale.PassFail,
            PassAt = c.GetProperty("pass_at").GetInt32(),
        };
        var pairs = c.GetProperty("pairs").EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32())).ToList();
        var agreement = JudgeAgreement.Of(
            criterion,
            pairs,
            c.GetProperty("min_agreement").GetDouble(),
            c.GetProperty("confidence").GetDouble()
        );
        return (c, agreement);
    }

    private static void Near(JsonElement c, string property, double actual, int digits = 10)
    {
        var expected = c.GetProperty(property);
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.True(double.IsNaN(actual), $"{property}: expected undefined (NaN), got {actual}");
        }
        else
        {
            Assert.Equal(expected.GetDouble(), actual, digits);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Of_EqualsSklearnAndStatsmodels(string name)
    {
        var (c, a) = Run(name);

        Assert.Equal(c.GetProperty("n").GetInt64(), a.Outputs);
        Assert.Equal(c.GetProperty("agreeing").GetInt64(), a.Agreeing);
        Near(c, "share", a.Share, 12);
        Near(c, "low", a.ShareInterval.Low);
        Near(c, "high", a.ShareInterval.High);
        Near(c, "kappa", a.Kappa, 12);
        Near(c, "kappa_low", a.KappaInterval.Low);
        Near(c, "kappa_high", a.KappaInterval.High);
        Near(c, "exact_share", a.ExactShare, 12);
        Near(c, "weighted_kappa", a.WeightedKappa, 12);
        Near(c, "model_pass_rate", a.ModelPassRate, 12);
        Near(c, "people_pass_rate", a.PeoplePassRate, 12);
        Near(c, "leniency", a.Leniency, 12);
        Near(c, "leniency_low", a.LeniencyInterval.Low);
        Near(c, "leniency_high", a.LeniencyInterval.High);
        var verdict = c.GetProperty("verdict").GetString() switch
        {
            "stand_in" => JudgeAgreementVerdict.CanStandIn,
            "cannot" => JudgeAgreementVerdict.CannotStandIn,
            _ => JudgeAgreementVerdict.NotEnoughData,
        };
        Assert.Equal(verdict, a.Verdict);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Statement_HasNoUndefinedNumber(string name)
    {
        var (_, a) = Run(name);

        Assert.DoesNotContain("NaN", a.Statement, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", a.Statement, StringComparison.Ordinal);
        Assert.DoesNotContain("n/a", a.Statement, StringComparison.Ordinal);
        Assert.Contains("factual", a.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_CanStandIn_GivesFiguresInWords()
    {
        var (_, a) = Run("pass_fail, agreeing, large");

        // 167 of 180 agree (88% to 96%), kappa 0.70, leniency +1.7 points (−2.4 to 5.9).
        Assert.Equal(
            "The model judge can stand in for people on factual: it agrees with them on 93% of 180 outputs "
                + "(88% to 96%), kappa 0.70, and passes 2 points more often than they do (\u22122 to 6).",
            a.Statement
        );
        Assert.True(a.CanStandIn);
    }

    [Fact]
    public void Statement_NotEnoughData_SaysHowManyMore()
    {
        var (_, a) = Run("pass_fail, lenient judge");

        Assert.Equal(JudgeAgreementVerdict.NotEnoughData, a.Verdict);
        Assert.NotNull(a.MoreNeeded);
        Assert.Contains($"about {a.MoreNeeded:#,0} more outputs graded by both would settle it", a.Statement);
        Assert.Contains("passes 23 points more often than they do (16 to 30)", a.Statement);
        Assert.Contains("Until then its grades do not count toward verdicts on factual.", a.Statement);
    }

    [Fact]
    public void Statement_Cannot_SaysGradesDoNotCount()
    {
        var (_, a) = Run("pass_fail, all disagree");

        Assert.StartsWith(
            "The model judge cannot stand in for people on factual: it agrees with them on 0% of 5 outputs",
            a.Statement
        );
        Assert.Contains("kappa \u22120.92", a.Statement);
        Assert.Contains("below the 50% required, so its grades do not count", a.Statement);
    }

    [Fact]
    public void Statement_KappaUndefined_IsSaidInWords()
    {
        var (_, a) = Run("pass_fail, all pass on both sides");

        Assert.Contains("kappa cannot be measured because both gave every one of them the same verdict", a.Statement);
        Assert.Contains("passes as often as they do (\u221213 to 13)", a.Statement);
    }

    [Fact]
    public void Statement_OneToFive_AddsExactGradeAndWeightedKappa()
    {
        var (_, a) = Run("1-5, some grades unused");

        Assert.Contains("the very same grade on 61% (weighted kappa 0.80)", a.Statement);
    }

    [Fact]
    public void Statement_NoOutput_SaysNoneGradedByBoth()
    {
        var (_, a) = Run("pass_fail, no output");

        Assert.Null(a.MoreNeeded);
        Assert.Equal(
            "No output has been graded by both people and the model judge on factual yet, so the model judge's "
                + "grades do not count toward verdicts on factual; grade some of the outputs it graded by hand to find "
                + "out whether it agrees with people at least 80% of the time.",
            a.Statement
        );
    }

    [Fact]
    public void Of_Grades_PairsPeopleAndModelByOutputAndCriterion()
    {
        RubricCriterion[] criteria =
        [
            new() { Name = "factual", Question = "q" },
            new()
            {
                Name = "tone",
                Question = "q",
                Scale = RubricScale.OneToFive,
            },
        ];
        RubricGrade[] grades =
        [
            new("a", "factual", 1, GradeSource.Person),
            new("a", "factual", 1, GradeSource.Model),
            new("b", "factual", 0, GradeSource.Model),
            new("b", "factual", 1, GradeSource.Person),
            new("b", "factual", 0, GradeSource.Person), // a second person's grade: the first one counts
            new("c", "factual", null, GradeSource.Model), // no verdict: not paired
            new("c", "factual", 1, GradeSource.Person),
            new("d", "factual", 1, GradeSource.Model), // no person's grade: not paired
            new("a", "tone", 5, GradeSource.Person),
            new("a", "tone", 4, GradeSource.Model),
        ];

        var agreements = JudgeAgreement.Of(criteria, grades, 0.8, 0.95);

        Assert.Equal(2, agreements[0].Outputs);
        Assert.Equal(1, agreements[0].Agreeing);
        Assert.Equal(0.5, agreements[0].PeoplePassRate - agreements[0].ModelPassRate, 12);
        Assert.Equal(1, agreements[1].Outputs);
        Assert.Equal(0, agreements[1].ExactShare);
        Assert.Equal(1, agreements[1].Share);
    }

    [Fact]
    public void Trusted_NamesOnlyCriteriaTheJudgeCanStandIn()
    {
        var criterion = new RubricCriterion { Name = "factual", Question = "q" };
        var strong = JudgeAgreement.Of(
            criterion,
            Enumerable.Repeat((1, 1), 60).Concat(Enumerable.Repeat((0, 0), 60)).ToList(),
            0.8,
            0.95
        );
        var weak = JudgeAgreement.Of(criterion with { Name = "tone" }, [(1, 0), (0, 1), (1, 1)], 0.8, 0.95);

        Assert.Equal(["factual"], JudgeAgreement.Trusted([strong, weak]));
    }

    [Fact]
    public void Of_GradeOffTheScale_IsRefusedWithTheCriterion()
    {
        var criterion = new RubricCriterion
        {
            Name = "tone",
            Question = "q",
            Scale = RubricScale.OneToFive,
        };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => JudgeAgreement.Of(criterion, [(0, 3)], 0.8, 0.95));
        Assert.Contains("A grade on tone must be 1 to 5; 0 is off its scale.", e.Message, StringComparison.Ordinal);
    }
}
