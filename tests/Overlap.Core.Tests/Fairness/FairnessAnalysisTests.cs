using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Fairness;

namespace Overlap.Core.Tests.Fairness;

/// <summary>
/// The fairness measures against Fairlearn's definitions as Fixtures/fairness/make_fairness_fixtures.py computes them
/// with numpy and scikit-learn, on the data set the script writes: every group's rates, every measure and its percentile
/// bootstrap interval (the script ports the same draws, so intervals match exactly).
/// </summary>
public sealed class FairnessAnalysisTests
{
    private const string Contract = """
        feature: hiring-screen
        task: binary
        labels: { positive: "yes", negative: "no" }
        columns: { id: id, label: hired, score: p_hire }
        threshold: 0.5
        words: { example: applicant, positive: suitable applicant, negative: unsuitable applicant, action: shortlisted }
        fairness:
          attributes: [sex, race]
          intersections: [[sex, race]]
          requirements:
            - { metric: selection_rate_ratio, by: sex, min: 0.8 }
            - { metric: calibration_error_difference, by: sex, max: 0.2 }
            - { metric: equal_opportunity_difference, by: [sex, race], max: 0.5 }
            - { metric: false_positive_rate_difference, by: race, max: 0.25 }
        """;

    private static readonly JsonElement Fixtures = Load();

    private static EvaluationReport Evaluate()
    {
        var contract = ContractParser.Parse(Contract);
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fairness", "fairness_data.csv");
        using var stream = File.OpenRead(path);
        var table = TableReader.Read(stream, DataFormat.Csv, Evaluator.ReadOptions(contract, "fairness_data.csv"));
        return Evaluator.Evaluate(
            contract,
            table,
            new EvaluationOptions
            {
                Resamples = Fixtures.GetProperty("resamples").GetInt32(),
                Seed = Fixtures.GetProperty("seed").GetUInt64(),
            }
        );
    }

    [Fact]
    public void Evaluate_FairnessSection_MatchesTheReferenceFiguresAndIntervals()
    {
        var report = Evaluate().Fairness!;
        var expected = Fixtures.GetProperty("groupings").EnumerateArray().ToList();
        Assert.Equal(expected.Count, report.Groupings.Count);
        foreach (var (want, got) in expected.Zip(report.Groupings))
        {
            Assert.Equal(want.GetProperty("attributes").EnumerateArray().Select(a => a.GetString()!), got.Attributes);
            var groups = want.GetProperty("groups").EnumerateObject().ToList();
            Assert.Equal(groups.Select(g => g.Name), got.Groups.Select(g => g.Value));
            foreach (var (g, group) in groups.Zip(got.Groups))
            {
                Assert.Equal(g.Value.GetProperty("n").GetDouble(), group.N);
                Assert.Equal(g.Value.GetProperty("positives").GetDouble(), group.Positives);
                Near(g.Value.GetProperty("selection_rate"), group.SelectionRate.Value);
                Near(g.Value.GetProperty("true_positive_rate"), group.TruePositiveRate.Value);
                Near(g.Value.GetProperty("false_positive_rate"), group.FalsePositiveRate.Value);
                Near(g.Value.GetProperty("calibration_error"), group.CalibrationError!.Value);
            }
            Assert.Equal(6, got.Measures.Count);
            foreach (var measure in got.Measures)
            {
                Near(want.GetProperty("measures").GetProperty(measure.Metric), measure.Value);
                var interval = want.GetProperty("intervals").GetProperty(measure.Metric);
                Near(interval[0], measure.CiLow);
                Near(interval[1], measure.CiHigh);
                Assert.DoesNotContain("NaN", measure.Statement, StringComparison.Ordinal);
                Assert.DoesNotContain("Infinity", measure.Statement, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Evaluate_FairnessRequirements_GateTheVerdictWithWordsAndSmallGroups()
    {
        var report = Evaluate();
        var sex = Fixtures.GetProperty("groupings")[0];
        var ratio = Interval(sex, "selection_rate_ratio");
        Assert.True(ratio.High < 0.8, "the fixture's ratio interval lies below the four-fifths bar");
        var fairness = report.Requirements.Where(r => r.By is not null).ToList();
        Assert.Equal(4, fairness.Count);

        var fourFifths = fairness[0];
        Assert.Equal(
            ("selection_rate_ratio", "sex", Verdict.Fail),
            (fourFifths.Metric, fourFifths.By, fourFifths.Verdict)
        );
        Assert.Equal(
            $"Applicants with sex = F are shortlisted {Short(sex.GetProperty("measures").GetProperty("selection_rate_ratio").GetDouble())} times as often as those with sex = M ({Short(ratio.Low)} to {Short(ratio.High)}): below the four-fifths bar.",
            fourFifths.Statement
        );
        Assert.Equal(Verdict.Fail, report.Verdict);
        var reason = VerdictReason.Of(report)!;
        Assert.StartsWith("fail: selection_rate_ratio by sex 0.5", reason, StringComparison.Ordinal);
        Assert.Contains(" below the bar 0.8", reason, StringComparison.Ordinal);

        var calibration = fairness[1];
        Assert.True(Interval(sex, "calibration_error_difference").High <= 0.2);
        Assert.Equal(Verdict.Pass, calibration.Verdict);

        // The intersection F & c has fewer suitable applicants than the default 30: not enough data, with the number needed.
        var intersection = report.Fairness!.Groupings[2];
        var fc = intersection.Groups.Single(g => g.Value == "F & c");
        Assert.True(fc.Positives < FairnessPolicy.DefaultMinGroupSize);
        var opportunity = fairness[2];
        Assert.Equal(("sex × race", Verdict.Inconclusive), (opportunity.By, opportunity.Verdict));
        var smallest = intersection.Groups.Min(g => g.Positives);
        Assert.Equal(FairnessPolicy.DefaultMinGroupSize - smallest, opportunity.MoreExamplesNeeded);
        Assert.Contains("Not enough data to judge it: sex = ", opportunity.Statement, StringComparison.Ordinal);
        Assert.Contains(
            $"(the contract asks for at least 30 per group), so about {FairnessPolicy.DefaultMinGroupSize - smallest} more are needed.",
            opportunity.Statement,
            StringComparison.Ordinal
        );
        // Measures with no bar carry words but no verdict.
        Assert.Null(intersection.Measures.Single(m => m.Metric == "selection_rate_difference").Verdict);
    }

    private static (double Low, double High) Interval(JsonElement grouping, string metric)
    {
        var i = grouping.GetProperty("intervals").GetProperty(metric);
        return (i[0].GetDouble(), i[1].GetDouble());
    }

    private static string Short(double value) => Overlap.Core.Statements.Phrasing.Number(Math.Round(value, 2));

    private static void Near(JsonElement expected, double actual)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.True(double.IsNaN(actual), $"expected undefined, got {actual}");
            return;
        }
        Assert.Equal(expected.GetDouble(), actual, 1e-12);
    }

    private static JsonElement Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fairness", "fairness_fixtures.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
