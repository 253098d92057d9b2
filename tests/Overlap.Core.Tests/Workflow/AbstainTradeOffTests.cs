using System.Globalization;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Reports;
using Overlap.Core.Workflow;

namespace Overlap.Core.Tests.Workflow;

/// <summary>
/// The abstain band's cost trade-off on the payments-fraud example against a numpy brute force over every pair of cut
/// points (Fixtures/abstain/make_abstain_fixtures.py → abstain.json): no band, the contract's review band, the band that
/// costs least, and the widening bands of the chart.
/// </summary>
public sealed class AbstainTradeOffTests
{
    private static readonly JsonElement Fixture = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "abstain", "abstain.json")))
        .RootElement;

    private static (double[] Scores, byte[] Labels) Cases()
    {
        var lines = File.ReadAllLines(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "abstain", "payments-fraud-scored.csv")
        );
        var header = lines[0].Split(',');
        var (score, outcome) = (Array.IndexOf(header, "p_fraud"), Array.IndexOf(header, "outcome"));
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        return (
            [.. rows.Select(r => double.Parse(r[score], CultureInfo.InvariantCulture))],
            [.. rows.Select(r => r[outcome] == "fraud" ? (byte)1 : (byte)0)]
        );
    }

    private static void AssertBand(JsonElement expected, BandCost actual)
    {
        double? Optional(string name) =>
            expected.GetProperty(name).ValueKind == JsonValueKind.Null ? null : expected.GetProperty(name).GetDouble();
        Assert.Equal(Optional("low"), actual.Low);
        Assert.Equal(Optional("high"), actual.High);
        Assert.Equal(
            (
                expected.GetProperty("reviewed").GetInt64(),
                expected.GetProperty("false_positives").GetInt64(),
                expected.GetProperty("false_negatives").GetInt64()
            ),
            (actual.Reviewed, actual.FalsePositives, actual.FalseNegatives)
        );
        Assert.Equal(expected.GetProperty("cost_per_1000").GetDouble(), actual.CostPer1000, 9);
    }

    [Fact]
    public void TheBandThatCostsLeast_MatchesTheBruteForce_AsDoNoBandTheContractsBandAndTheCurve()
    {
        var (scores, labels) = Cases();
        var tradeOff = AbstainTradeOff.Compute(
            scores,
            labels,
            [],
            Fixture.GetProperty("threshold").GetDouble(),
            Fixture.GetProperty("false_positive").GetDouble(),
            Fixture.GetProperty("false_negative").GetDouble(),
            Fixture.GetProperty("review_cost").GetDouble(),
            (0.4, 0.6)
        );
        Assert.Equal(Fixture.GetProperty("n").GetInt64(), tradeOff.N);
        AssertBand(Fixture.GetProperty("none"), tradeOff.None);
        AssertBand(Fixture.GetProperty("current"), tradeOff.Current!);
        AssertBand(Fixture.GetProperty("optimal"), tradeOff.Optimal);
        Assert.Equal(Fixture.GetProperty("optimal_cost_per_1000").GetDouble(), tradeOff.Optimal.CostPer1000, 9);
        var curve = Fixture.GetProperty("curve").EnumerateArray().ToList();
        Assert.Equal(curve.Count, tradeOff.Curve.Count);
        for (var i = 0; i < curve.Count; i++)
        {
            Assert.Equal(curve[i].GetProperty("width").GetDouble(), tradeOff.Curve[i].Width, 12);
            AssertBand(curve[i], tradeOff.Curve[i].Band);
        }
    }

    [Fact]
    public void AnEvaluation_WithAWorkflowReviewCost_CarriesTheTradeOff_InItsJsonAndMarkdown()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Overlap.slnx")))
        {
            dir = dir.Parent;
        }
        var folder = Path.Combine(dir.FullName, "examples", "payments-fraud");
        // The example's review band (0.4 to 0.6) is the abstain band by default; a review costs 1.5 EUR.
        var contract = ContractParser.Parse(
            File.ReadAllText(Path.Combine(folder, "overlap.yaml")) + "\nworkflow:\n  review_cost: 1.5\n",
            "overlap.yaml"
        );
        var path = Path.Combine(folder, "scored.csv");
        using var stream = File.OpenRead(path);
        var table = TableReader.Read(stream, DataFormat.Csv, Evaluator.ReadOptions(contract, path));
        var report = Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 50 });
        var abstain = report.Abstain!;
        AssertBand(Fixture.GetProperty("none"), abstain.None);
        AssertBand(Fixture.GetProperty("current"), abstain.Current!);
        AssertBand(Fixture.GetProperty("optimal"), abstain.Optimal);
        Assert.StartsWith(
            "Sending payments scored 0.09525 to 0.2232 to a person (511 payments, 8.5%, at 1.5 EUR each)",
            abstain.Statement,
            StringComparison.Ordinal
        );
        var json = ReportJson.Write(report);
        Assert.Contains("\"cost_per_1000\":", json, StringComparison.Ordinal);
        // The report's JSON keeps figures to 12 significant digits; counts and bands exactly.
        var read = ReportJson.ReadEvaluation(json)!.Abstain!;
        Assert.Equal(abstain.Statement, read.Statement);
        foreach (
            var (a, b) in new[]
            {
                (abstain.None, read.None),
                (abstain.Current!, read.Current!),
                (abstain.Optimal, read.Optimal),
            }.Concat(abstain.Curve.Zip(read.Curve, (x, y) => (x.Band, y.Band)))
        )
        {
            Assert.Equal(a with { CostPer1000 = 0, ShareReviewed = 0 }, b with { CostPer1000 = 0, ShareReviewed = 0 });
            Assert.Equal(a.CostPer1000, b.CostPer1000, 9);
        }
        Assert.Contains(
            $"**People instead of the model**: {abstain.Statement}",
            MarkdownReport.Write(report),
            StringComparison.Ordinal
        );
        // Without a review cost there is nothing to price.
        Assert.Null(
            Evaluator
                .Evaluate(contract with { Workflow = null }, table, new EvaluationOptions { Resamples = 50 })
                .Abstain
        );
    }

    [Fact]
    public void CasesKeptAsCountedCells_GiveTheSameTradeOff_AsTheCasesOneByOne()
    {
        // The dashboard's range is kept as cells (score, label) with counts: rounding the scores to two decimals makes
        // many equal rows, and the cells with their counts must give what the rows give one by one.
        var (scores, labels) = Cases();
        var rounded = scores.Select(s => Math.Round(s, 2)).ToArray();
        var cells = rounded
            .Zip(labels)
            .GroupBy(c => c)
            .Select(g => (Score: g.Key.First, Label: g.Key.Second, Count: g.Count()))
            .OrderBy(c => c.Score)
            .ThenBy(c => c.Label)
            .ToList();
        Assert.True(cells.Count < scores.Length / 10, $"{cells.Count} cells");
        var one = AbstainTradeOff.Compute(rounded, labels, [], 0.15, 2, 25, 1.5, (0.4, 0.6));
        var counted = AbstainTradeOff.Compute(
            [.. cells.Select(c => c.Score)],
            [.. cells.Select(c => c.Label)],
            [.. cells.Select(c => c.Count)],
            0.15,
            2,
            25,
            1.5,
            (0.4, 0.6)
        );
        Assert.Equal(
            (one.N, one.None, one.Current, one.Optimal),
            (counted.N, counted.None, counted.Current, counted.Optimal)
        );
        Assert.Equal(one.Curve, counted.Curve);
        Assert.NotEqual(one.None, one.Optimal);
    }

    [Fact]
    public void TheStatement_SaysTheBandItsShareAndWhatItSaves_InTheContractsWords()
    {
        var (scores, labels) = Cases();
        var tradeOff = AbstainTradeOff.Compute(scores, labels, [], 0.15, 2, 25, 1.5, (0.4, 0.6));
        var words = new Overlap.Core.Contracts.ContractWords
        {
            Positive = "fraudulent payment",
            Negative = "legitimate payment",
            Example = "payment",
        };
        // The figures are the fixture's: 511 of 6,000 reviewed; 50 → 18 missed, 229 → 73 false flags; 284.7 → 227.1.
        Assert.Equal(
            "Sending payments scored 0.09525 to 0.2232 to a person (511 payments, 8.5%, at 1.5 EUR each) would cost "
                + "227.1 EUR per 1,000 payments instead of 284.7 with every payment decided by the model: 32 fewer fraudulent "
                + "payments missed and 156 fewer false flags. The contract's band, 0.4 to 0.6, costs 301.1 EUR per "
                + "1,000 (1.4% of payments to people).",
            tradeOff.Say(words, "EUR")
        );
    }

    [Fact]
    public void WhenReviewCostsMoreThanAnyError_NoBandPays_AndTheStatementSaysSo()
    {
        var (scores, labels) = Cases();
        var tradeOff = AbstainTradeOff.Compute(scores, labels, [], 0.15, 2, 25, 26, null);
        Assert.Equal(tradeOff.None, tradeOff.Optimal);
        Assert.Null(tradeOff.Current);
        Assert.Equal(
            "No band of scores sent to a person at 26 EUR each would cost less than letting the model decide every "
                + "case (284.7 EUR per 1,000 cases).",
            tradeOff.Say(new Overlap.Core.Contracts.ContractWords(), "EUR")
        );
    }

    [Fact]
    public void FreeReview_SendsEveryErrorToAPerson_AndNoCorrectDecisionBeyondThem()
    {
        // Scores 0.1 (neg), 0.2 (pos, missed at t = 0.5), 0.6 (neg, a false flag), 0.9 (pos): a free review still
        // takes the narrowest band that catches both errors, [0.2, 0.6].
        var tradeOff = AbstainTradeOff.Compute([0.1, 0.2, 0.6, 0.9], [0, 1, 0, 1], [], 0.5, 1, 1, 0, null);
        Assert.Equal(new BandCost(0.2, 0.6, 2, 0.5, 0, 0, 0), tradeOff.Optimal);
        Assert.Equal(new BandCost(null, null, 0, 0, 1, 1, 500), tradeOff.None);
    }
}
