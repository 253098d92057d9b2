using System.Globalization;
using System.Text;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Evaluation;

/// <summary>The evaluator's judgement on small tables whose figures can be counted by hand.</summary>
public sealed class EvaluatorTests
{
    private static EvaluationReport Run(string yaml, string csv)
    {
        var contract = ContractParser.Parse(yaml, "overlap.yaml");
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "data.csv")
        );
        return Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 200 });
    }

    /// <summary>Rows: (score, label, segment) repeated.</summary>
    private static string Csv(params (double Score, string Label, string Group, int Times)[] rows)
    {
        var b = new StringBuilder("p,y,g\n");
        foreach (var (score, label, group, times) in rows)
        {
            for (var i = 0; i < times; i++)
            {
                b.Append(CultureInfo.InvariantCulture, $"{score},{label},{group}\n");
            }
        }
        return b.ToString();
    }

    private const string Head = """
        feature: t
        task: binary
        labels: { positive: bad, negative: good }
        columns: { label: y, score: p, segments: [g] }
        threshold: 0.5

        """;

    [Fact]
    public void MaxGap_ForALowerIsBetterMetric_MeasuresHowMuchWorseTheSegmentIs()
    {
        // Overall FPR = 60 / 800 = 0.075; segment b: 50 / 200 = 0.25, so it is 0.175 worse than overall.
        var report = Run(
            Head + "requirements:\n  - { metric: false_positive_rate, by: g, max_gap: 0.05 }\n",
            Csv(
                (0.9, "good", "a", 10),
                (0.1, "good", "a", 590),
                (0.9, "good", "b", 50),
                (0.1, "good", "b", 150),
                (0.9, "bad", "a", 50),
                (0.9, "bad", "b", 50)
            )
        );
        var r = Assert.Single(report.Requirements);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal("b", r.Segment);
        Assert.Equal(0.25 - 0.075, r.Value!.Value, 12);
        var wilson = Wilson.Interval(50, 200, 0.95);
        Assert.Equal(wilson.Low - 0.075, r.CiLow!.Value, 12);
        Assert.Equal(wilson.High - 0.075, r.CiHigh!.Value, 12);
        Assert.Equal(Verdict.Fail, report.Verdict);
    }

    [Fact]
    public void Segments_RowsWithAnEmptyValue_FormAMissingGroupStatedInWords()
    {
        // 100 rows in a (recall 40 / 50), 60 with no g (recall 5 / 30): the empty ones are a group of their own.
        var report = Run(
            Head + "requirements:\n  - { metric: recall, by: g, min: 0.5 }\n",
            Csv(
                (0.9, "bad", "a", 40),
                (0.1, "bad", "a", 10),
                (0.1, "good", "a", 50),
                (0.9, "bad", "", 5),
                (0.1, "bad", "", 25),
                (0.1, "good", "", 30)
            )
        );
        var groups = report.Segments["g"];
        Assert.Equal(["(missing)", "a"], groups.Keys.Order(StringComparer.Ordinal));
        var missing = groups["(missing)"];
        Assert.Equal(60, missing.N);
        Assert.Equal(5.0 / 30, missing.Metrics["recall"].Value, 12);
        Assert.Equal(0.8, groups["a"].Metrics["recall"].Value, 12);
        var r = Assert.Single(report.Requirements);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal("(missing)", r.Segment);
        Assert.Contains("60 examples have no value in g; they are grouped as '(missing)'.", report.Statements);
    }

    [Fact]
    public void VerdictReason_RecallMetButFalseAlarmsTooMany_NamesTheFalsePositiveRateAndItsBar()
    {
        // Recall 100 / 100 = 1 meets its bar; 30 of 200 good rows flagged is a false-positive rate of 0.15 against a bar of 0.05.
        var report = Run(
            Head + "requirements:\n  - { metric: recall, min: 0.5 }\n  - { metric: false_positive_rate, max: 0.05 }\n",
            Csv((0.9, "bad", "a", 100), (0.9, "good", "a", 30), (0.1, "good", "a", 170))
        );
        Assert.Equal(Verdict.Fail, report.Verdict);
        var w = Wilson.Interval(30, 200, 0.95);
        Assert.Equal(
            string.Create(
                CultureInfo.InvariantCulture,
                $"fail: false_positive_rate 0.15 ({w.Low:0.###} to {w.High:0.###}) above the bar 0.05"
            ),
            VerdictReason.Of(report)
        );

        var passing = Run(
            Head + "requirements:\n  - { metric: recall, min: 0.5 }\n",
            Csv((0.9, "bad", "a", 100), (0.1, "good", "a", 200))
        );
        Assert.Equal("pass: recall min 0.5 met", VerdictReason.Of(passing));
    }

    [Fact]
    public void SegmentWithoutPositives_LeavesARecallRequirementInconclusive_NotFailed()
    {
        var report = Run(
            Head + "requirements:\n  - { metric: recall, by: g, min: 0.5 }\n",
            Csv((0.9, "bad", "a", 400), (0.1, "good", "a", 400), (0.1, "good", "b", 300))
        );
        var r = Assert.Single(report.Requirements);
        Assert.Equal(Verdict.Inconclusive, r.Verdict);
        Assert.Equal("b", r.Segment);
        Assert.Equal(Verdict.Pass, r.Segments!.Single(s => s.Segment == "a").Verdict);
        Assert.Null(r.MoreExamplesNeeded);
    }

    [Fact]
    public void MoreExamplesNeeded_ScalesTheDenominatorBackToAllExamples()
    {
        // Recall 30 / 40 = 0.75 against a bar of 0.7: inconclusive with 40 positives among 400 examples.
        var report = Run(
            Head + "requirements:\n  - { metric: recall, min: 0.7 }\n",
            Csv((0.9, "bad", "a", 30), (0.1, "bad", "a", 10), (0.1, "good", "a", 360))
        );
        var r = Assert.Single(report.Requirements);
        Assert.Equal(Verdict.Inconclusive, r.Verdict);
        var w = Wilson.Interval(30, 40, 0.95);
        // The interval's side that faces the bar (0.7 lies below 0.75) is what must shrink.
        var half = 0.75 - w.Low;
        var positives = (long)Math.Ceiling((40 * Math.Pow(half / 0.05, 2)) - 40);
        Assert.Equal((long)Math.Ceiling(positives / 0.1), r.MoreExamplesNeeded);
        Assert.Contains("more labelled cases would settle it", r.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void OptimizedThreshold_IsTheCostOptimumOfTheData()
    {
        var yaml =
            Head.Replace(
                "threshold: 0.5",
                "threshold: optimize\ncosts: { false_positive: 1, false_negative: 10 }",
                StringComparison.Ordinal
            ) + "requirements:\n  - { metric: recall, min: 0.5 }\n";
        var report = Run(
            yaml,
            Csv((0.8, "bad", "a", 20), (0.3, "bad", "a", 20), (0.3, "good", "a", 50), (0.1, "good", "a", 300))
        );
        // Flag at 0.3: 50 false positives cost 50; at 0.8: 20 misses cost 200; flag nothing: 400.
        Assert.Equal(0.3, report.Threshold);
        Assert.Equal(0.3, report.Cost!.OptimalThreshold);
        Assert.Equal(1000.0 * 50 / 390, report.Cost.CostPer1000, 9);
        Assert.Equal(new ConfusionCounts(40, 50, 0, 300), report.Confusion);
    }

    [Fact]
    public void UnlabelledRows_AreLeftOutAndSaidSo()
    {
        var report = Run(
            Head + "requirements:\n  - { metric: recall, min: 0.5 }\n",
            Csv((0.9, "bad", "a", 5), (0.1, "good", "a", 5), (0.4, "", "a", 3))
        );
        Assert.Equal(10, report.N);
        Assert.Contains(report.Statements, s => s.Contains("3 of 13 rows have no label yet", StringComparison.Ordinal));
    }

    [Fact]
    public void DecisionsWithoutScores_DropTheScoreMetrics()
    {
        const string yaml = """
            feature: t
            task: binary
            labels: { positive: bad, negative: good }
            columns: { label: y, prediction: d }
            requirements:
              - { metric: precision, min: 0.5 }
            """;
        var report = Run(
            yaml.Replace("{ label: y, prediction: d }", "{ label: y, prediction: p }", StringComparison.Ordinal),
            "p,y\nbad,bad\nbad,good\ngood,good\ngood,bad\nbad,bad\n"
        );
        Assert.False(report.Metrics.ContainsKey("roc_auc"));
        Assert.Null(report.Curves);
        Assert.Equal(2.0 / 3, report.Metrics["precision"].Value, 12);
    }
}
