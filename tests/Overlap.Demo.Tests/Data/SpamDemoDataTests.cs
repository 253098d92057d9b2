using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Demo.Data;
using Overlap.Demo.Tests.Model;

namespace Overlap.Demo.Tests.Data;

[Collection("corpus")]
public sealed class SpamDemoDataTests(CorpusFixture fixture)
{
    [Fact]
    public void Split_keeps_the_earliest_mail_for_training_and_holds_out_a_share_of_it()
    {
        var split = fixture.Split;
        var dated = fixture.Data.Dated.Count;

        Assert.Equal(dated, split.Train.Count + split.Holdout.Count + split.Production.Count);
        Assert.Equal((int)Math.Round(dated * 0.4), split.Train.Count + split.Holdout.Count);
        Assert.InRange(split.Holdout.Count / (double)(split.Train.Count + split.Holdout.Count), 0.17, 0.23);
        var lastEarly = split.Train.Concat(split.Holdout).Max(m => m.Date!.Value);
        Assert.True(lastEarly <= split.ProductionFrom);
        Assert.All(split.Production, m => Assert.True(m.Date >= split.ProductionFrom));
        // Both classes in every part, so each can be judged.
        Assert.All(new[] { split.Train, split.Holdout, split.Production }, s => Assert.Contains(s, m => m.IsSpam));
        Assert.All(new[] { split.Train, split.Holdout, split.Production }, s => Assert.Contains(s, m => !m.IsSpam));
    }

    [Fact]
    public void Split_picks_the_same_holdout_whatever_the_input_order()
    {
        var shuffled = fixture.Data.Messages.OrderBy(m => m.Id.GetHashCode(StringComparison.Ordinal)).ToList();

        Assert.Equal(fixture.Split.Holdout.Select(m => m.Id), SpamDemoData.Split(shuffled).Holdout.Select(m => m.Id));
    }

    [Fact]
    public void The_contracts_reference_period_is_the_training_weeks()
    {
        var contract = ContractParser.Parse(
            File.ReadAllText(Fixtures.Path("spam-filter", "overlap.yaml")),
            "overlap.yaml"
        );
        var reference = contract.Monitoring!.Reference!;
        var early = fixture.Split.Train.Concat(fixture.Split.Holdout).Select(m => m.Date!.Value).Order().ToList();

        Assert.Equal(fixture.Split.ProductionFrom.UtcDateTime.Date, reference.To!.Value.UtcDateTime.Date);
        Assert.True(reference.From <= early[early.Count / 100], "the reference covers at least 99% of the early mail");
    }

    [Fact]
    public void The_contract_judges_the_held_out_scores_written_as_csv()
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        SpamDemoData.WriteScoredCsv(writer, fixture.Split.Holdout, fixture.HoldoutScores);
        var csv = writer.ToString();

        var report = SpamModelTests.Evaluate(csv);

        Assert.Equal("spam-filter", report.Feature);
        Assert.Equal(fixture.Split.Holdout.Count, report.N);
        Assert.Equal(5, report.Requirements.Count);
        Assert.Contains(report.Verdict, new[] { Verdict.Pass, Verdict.Inconclusive });
        Assert.Equal(Verdict.Pass, report.Requirements.Single(r => r.Metric == "recall" && r.By is null).Verdict);
        Assert.Equal(
            Verdict.Pass,
            report.Requirements.Single(r => r.Metric == "false_positive_rate" && r.By is null).Verdict
        );
        Assert.Equal(4, report.Segments["sender_domain_type"].Count);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', SpamDemoData.Columns), lines[0]);
        Assert.Equal(fixture.Split.Holdout.Count + 1, lines.Length);
    }

    [Fact]
    public void WriteScoredCsv_refuses_scores_that_do_not_match_the_messages()
    {
        Assert.Throws<ArgumentException>(() =>
            SpamDemoData.WriteScoredCsv(TextWriter.Null, fixture.Split.Holdout, [0.5])
        );
    }
}
