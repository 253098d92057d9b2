using System.Globalization;
using System.Text.Json;
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

    private static void AssertBand(JsonElement expected, AbstainBand actual)
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
    public void TheStatement_SaysTheBandItsShareAndWhatItSaves_InTheContractsWords()
    {
        var (scores, labels) = Cases();
        var tradeOff = AbstainTradeOff.Compute(scores, labels, 0.15, 2, 25, 1.5, (0.4, 0.6));
        var words = new Overlap.Core.Contracts.ContractWords
        {
            Positive = "fraudulent payment",
            Negative = "legitimate payment",
            Example = "payment",
        };
        // The figures are the fixture's: 511 of 6,000 reviewed; 50 → 18 missed, 229 → 73 false flags; 284.7 → 227.1.
        Assert.Equal(
            "Sending payments scored 0.09525 to 0.2232 to a person (511 payments, 8.5%, at 1.5 EUR each) would cost "
                + "227.1 EUR per 1,000 payments instead of 284.7 with every payment decided by the model: 32 fraudulent "
                + "payments fewer missed and 156 false flags fewer. The contract's band, 0.4 to 0.6, costs 301.1 EUR per "
                + "1,000 (1.4% of payments to people).",
            tradeOff.Statement(words, "EUR")
        );
    }

    [Fact]
    public void WhenReviewCostsMoreThanAnyError_NoBandPays_AndTheStatementSaysSo()
    {
        var (scores, labels) = Cases();
        var tradeOff = AbstainTradeOff.Compute(scores, labels, 0.15, 2, 25, 26, null);
        Assert.Equal(tradeOff.None, tradeOff.Optimal);
        Assert.Null(tradeOff.Current);
        Assert.Equal(
            "No band of scores sent to a person at 26 EUR each would cost less than letting the model decide every "
                + "case (284.7 EUR per 1,000 cases).",
            tradeOff.Statement(new Overlap.Core.Contracts.ContractWords(), "EUR")
        );
    }

    [Fact]
    public void FreeReview_SendsEveryErrorToAPerson_AndNoCorrectDecisionBeyondThem()
    {
        // Scores 0.1 (neg), 0.2 (pos, missed at t = 0.5), 0.6 (neg, a false flag), 0.9 (pos): a free review still
        // takes the narrowest band that catches both errors, [0.2, 0.6].
        var tradeOff = AbstainTradeOff.Compute([0.1, 0.2, 0.6, 0.9], [0, 1, 0, 1], 0.5, 1, 1, 0, null);
        Assert.Equal(new AbstainBand(0.2, 0.6, 2, 0.5, 0, 0, 0), tradeOff.Optimal);
        Assert.Equal(new AbstainBand(null, null, 0, 0, 1, 1, 500), tradeOff.None);
    }
}
