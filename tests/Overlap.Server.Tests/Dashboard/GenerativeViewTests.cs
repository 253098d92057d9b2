using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Monitoring;
using Overlap.Core.Statistics;
using Overlap.Server.Monitoring.Generative;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>
/// The generative page's view model on hand-made windows: failure categories added up over the windows with their
/// Wilson interval (Core's, checked against statsmodels), the rule that the model judge's grades count only where it
/// can stand in for people, and "not enough data yet" for a window below <c>min_samples</c>, never NaN.
/// </summary>
public sealed class GenerativeViewTests
{
    private const string Yaml = """
        feature: drafts
        task: generative
        columns: { id: id, output: draft }
        words: { output: draft }
        checks:
          - { name: short, max_length: 40 }
        rubric:
          - { name: polite, question: "Is it polite?", scale: pass_fail }
        judges: { people: { sample: 0.1 }, min_agreement: 0.8 }
        monitoring: { window: 1d, min_samples: 8 }
        review: { sample: 0.01, failure_categories: [rude, wrong] }
        requirements:
          - { metric: acceptable_rate, min: 0.5 }
        """;

    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static MetricValue Rate(long k, long n)
    {
        var w = Wilson.Interval(k, n, 0.95);
        return new MetricValue(n == 0 ? double.NaN : (double)k / n, w.Low, w.High, n);
    }

    private static WindowReport Window(int day, int outputs, int reviewed, long rude, long wrong) =>
        new()
        {
            Start = Day.AddDays(day),
            End = Day.AddDays(day + 1),
            Predictions = outputs,
            Labelled = 0,
            Generative = new GenerativeWindow
            {
                Outputs = outputs,
                Conversations = outputs,
                ByModelVersion = new Dictionary<string, int>(),
                ByModel = new Dictionary<string, int>(),
                Feedback = new Dictionary<string, MetricValue>
                {
                    ["regeneration_rate"] = Rate(outputs > 0 ? 1 : 0, outputs) with
                    {
                        Reason = outputs == 0 ? "no draft in this window, so no feedback on one" : null,
                    },
                },
                Reviewed = reviewed,
                FailureCategories =
                [
                    new FailureCategoryCount
                    {
                        Category = "rude",
                        Count = rude,
                        Share = Rate(rude, reviewed),
                    },
                    new FailureCategoryCount
                    {
                        Category = "wrong",
                        Count = wrong,
                        Share = Rate(wrong, reviewed),
                    },
                ],
                Statements = [],
            },
        };

    private static MonitoringReport Report(params WindowReport[] windows) =>
        new()
        {
            Feature = "drafts",
            ContractVersion = 1,
            Window = "1d",
            Windows = windows,
        };

    [Fact]
    public void FailureCategories_AreCountedPerWindowNewestFirst_AndAddedUpOverTheRange()
    {
        var view = GenerativeView.Of(
            ContractParser.Parse(Yaml),
            Report(Window(0, 10, 4, 1, 2), Window(1, 0, 0, 0, 0), Window(2, 5, 2, 2, 0))
        )!;

        // The empty window is left out of the table; the newest window comes first.
        Assert.Equal([Day.AddDays(2), Day], view.CategoryWindows.Select(w => w.Start));
        Assert.Equal((5, 2), (view.CategoryWindows[0].Outputs, view.CategoryWindows[0].Reviewed));
        // 2 of 2 reviewed were rude in the newest window: 100% with the Wilson interval of 2/2.
        var all = Wilson.Interval(2, 2, 0.95);
        Assert.Equal(
            $"2 (100%, {Core.Statements.Phrasing.Percent(all.Low)} to 100%)",
            view.CategoryWindows[0].Cells[0]
        );
        // Over the range: 6 reviewed, rude 1 + 2 = 3, wrong 2 + 0 = 2.
        Assert.Equal(6, view.Reviewed);
        Assert.Equal(["rude", "wrong"], view.CategoryTotals.Select(c => c.Category));
        Assert.Equal([3L, 2L], view.CategoryTotals.Select(c => c.Count));
        foreach (var (total, count) in view.CategoryTotals.Zip([3, 2]))
        {
            var w = Wilson.Interval(count, 6, 0.95);
            Assert.Equal(count / 6.0, total.Share.Value, 12);
            Assert.Equal(w.Low, total.Share.CiLow, 12);
            Assert.Equal(w.High, total.Share.CiHigh, 12);
            Assert.Equal(6, total.Share.N);
        }
    }

    [Fact]
    public void FailureCategories_WithNothingReviewed_SayWhyInsteadOfAShare()
    {
        var view = GenerativeView.Of(ContractParser.Parse(Yaml), Report(Window(0, 3, 0, 0, 0)))!;
        Assert.Equal(0, view.Reviewed);
        Assert.All(view.CategoryTotals, c =>
            Assert.Equal("no draft of the last 30 days has a settled review yet", c.Share.Reason)
        );
        Assert.Equal(["0 (nothing reviewed)", "0 (nothing reviewed)"], view.CategoryWindows[0].Cells);
    }

    /// <summary>(people, model) pass/fail pairs: <paramref name="agree"/> alike of <paramref name="n"/>.</summary>
    private static JudgeAgreement Agreement(int agree, int n) =>
        JudgeAgreement.Of(
            new RubricCriterion { Name = "polite", Question = "Is it polite?" },
            [.. Enumerable.Range(0, n).Select(i => (1, i < agree ? 1 : 0))],
            0.8,
            0.95
        );

    [Theory]
    [InlineData(20, 20, JudgeAgreementVerdict.CanStandIn, true)]
    [InlineData(17, 20, JudgeAgreementVerdict.NotEnoughData, false)]
    [InlineData(10, 40, JudgeAgreementVerdict.CannotStandIn, false)]
    [InlineData(0, 0, JudgeAgreementVerdict.NotEnoughData, false)]
    public void TheModelsGrades_CountOnlyWhereItCanStandIn_AndTheRowSaysWhenTheyDoNot(
        int agree,
        int n,
        JudgeAgreementVerdict verdict,
        bool counts
    )
    {
        var agreement = Agreement(agree, n);
        Assert.Equal(verdict, agreement.Verdict);
        var row = GenerativeView.Row(agreement);
        Assert.Equal(counts, row.Counts);
        Assert.Equal(counts, JudgeAgreement.Trusted([agreement]).Contains("polite"));
        Assert.Equal(agreement.Statement, row.Statement);
        if (counts)
        {
            Assert.StartsWith(
                "The model judge can stand in for people on polite",
                row.Statement,
                StringComparison.Ordinal
            );
            Assert.DoesNotContain("do not count", row.Statement, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("do not count toward verdicts on polite", row.Statement, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("NaN", $"{row.Agreement} {row.Kappa} {row.Leniency}", StringComparison.Ordinal);
    }

    [Fact]
    public void AWindowBelowMinSamples_SaysNotEnoughDataYet_AndNoFigureIsNaN()
    {
        var view = GenerativeView.Of(
            ContractParser.Parse(Yaml),
            Report(Window(0, 0, 0, 0, 0), Window(1, 3, 1, 1, 0), Window(2, 9, 0, 0, 0))
        )!;
        Assert.Equal(["not enough data yet (3 of 8 needed)"], view.Usage.Select(u => u.Note).OfType<string>());
        Assert.Null(view.Usage[0].Note);
        Assert.Equal(1, view.EmptyWindows);
        // No window has an evaluation: the figures say so in words.
        Assert.All(view.Figures, f => Assert.Equal("no result yet", f.Verdict));
        var shown = string.Join(
            " ",
            view.Usage.SelectMany(u =>
                    new[] { u.Regeneration, u.Edit, u.ThumbsDown, u.Tokens, u.CostPer1000, u.LatencyP95 }
                )
                .Concat(view.Figures.SelectMany(f => new[] { f.Latest, f.Statement, f.Trend }))
                .Append(view.AcceptableStatement)
        );
        Assert.DoesNotContain("NaN", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void AClassifierContract_HasNoGenerativeView()
    {
        var binary = ContractParser.Parse(
            """
            feature: spam
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { id: id, label: is_spam, score: p }
            requirements:
              - { metric: recall, min: 0.9 }
            """
        );
        Assert.Null(GenerativeView.Of(binary, Report()));
    }
}
