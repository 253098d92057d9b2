using System.Globalization;
using System.Text;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Core.Tests.Evaluation;

/// <summary>Issue 13's figures: every figure has a value or a reason in words, and advice keeps the contract.</summary>
public sealed class FiguresTests
{
    private static readonly string[] Unreadable = ["NaN", "Infinity", "∞", "n/a", "unknown share", "()", " )"];

    private static EvaluationReport Run(string yaml, string csv, string? baselineCsv = null)
    {
        var contract = ContractParser.Parse(yaml, "overlap.yaml");
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "data.csv")
        );
        var baseline = baselineCsv is null
            ? null
            : TableReader.Read(
                new MemoryStream(Encoding.UTF8.GetBytes(baselineCsv)),
                DataFormat.Csv,
                Evaluator.BaselineReadOptions(contract, "baseline.csv")
            );
        return Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 200, Baseline = baseline });
    }

    private static string Csv(string header, params (string Row, int Times)[] rows)
    {
        var b = new StringBuilder(header).Append('\n');
        foreach (var (row, times) in rows)
        {
            for (var i = 0; i < times; i++)
            {
                b.Append(row).Append('\n');
            }
        }
        return b.ToString();
    }

    private static void AssertReadable(IEnumerable<string> statements)
    {
        foreach (var s in statements)
        {
            foreach (var bad in Unreadable)
            {
                Assert.False(s.Contains(bad, StringComparison.Ordinal), $"'{bad}' in: {s}");
            }
        }
    }

    private static IEnumerable<string> AllStatements(EvaluationReport r) =>
        r.Statements.Concat(r.Requirements.Select(q => q.Statement)).Concat(r.Comparison?.Statements ?? []);

    private const string Fraud = """
        feature: t
        task: binary
        labels: { positive: fraud, negative: legit }
        words: { positive: fraudulent payment, negative: legitimate payment, example: payment, action: held }

        """;

    [Fact]
    public void Evaluate_BinaryPredictionWrittenAsOneAndZero_IsReadAsTheContractsLabels()
    {
        var report = Run(
            Fraud + "columns: { label: y, prediction: d }\nrequirements:\n  - { metric: recall, min: 0.5 }\n",
            Csv("y,d", ("fraud,1", 30), ("fraud,0", 10), ("legit,1", 5), ("legit,0", 55))
        );
        Assert.Equal(new ConfusionCounts(30, 5, 10, 55), report.Confusion);
        Assert.Equal(0.75, report.Metrics["recall"].Value, 12);
    }

    [Fact]
    public void Evaluate_WhenAMissCostsNothing_TheCostOptimumIsARealThresholdAboveEveryScore()
    {
        var report = Run(
            Fraud
                + "columns: { label: y, score: p }\nthreshold: 0.5\ncosts: { false_positive: 1, false_negative: 0 }\n",
            Csv("y,p", ("fraud,0.9", 10), ("fraud,0.2", 10), ("legit,0.6", 10), ("legit,0.1", 70))
        );
        var cost = report.Cost!;
        Assert.True(double.IsFinite(cost.OptimalThreshold));
        Assert.True(cost.OptimalThreshold > 0.9 && cost.OptimalThreshold <= 1, $"threshold {cost.OptimalThreshold}");
        Assert.Equal(0, cost.OptimalCostPer1000);
        AssertReadable(report.Statements);
    }

    [Fact]
    public void Evaluate_WhenTheCheapestThresholdBreaksARequirement_AdvisesTheCheapestThatKeepsThem()
    {
        // At 0.5: 40 of 40 fraud caught, 50 false holds (cost 50). At 0.8: recall 20/40 = 0.5, 20 misses (cost 40): cheaper,
        // but recall 0.5 breaks the contract's 0.8. So the advice is 0.5 (or another threshold keeping recall), never 0.8.
        var report = Run(
            Fraud
                + "columns: { label: y, score: p }\nthreshold: 0.5\ncosts: { false_positive: 1, false_negative: 2 }\nrequirements:\n  - { metric: recall, min: 0.8 }\n",
            Csv("y,p", ("fraud,0.9", 20), ("fraud,0.6", 20), ("legit,0.6", 50), ("legit,0.1", 910))
        );
        var cost = report.Cost!;
        Assert.Equal(0.9, cost.OptimalThreshold);
        Assert.Equal(0.6, cost.ConstrainedThreshold);
        Assert.Equal(1000.0 * 50 / 1000, cost.ConstrainedCostPer1000!.Value, 9);
        var effect = Assert.Single(cost.OptimalEffects!);
        Assert.Equal("recall", effect.Metric);
        Assert.Equal(0.5, effect.Value!.Value, 12);
        Assert.False(effect.Kept);
        var advice = Assert.Single(report.Statements, s => s.Contains("would cost", StringComparison.Ordinal));
        Assert.Contains(
            "recall would be 50%, below the contract's 80%, so it would break the contract",
            advice,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "The cheapest threshold that keeps every requirement is 0.6, at about 50 ",
            report.Statements[report.Statements.ToList().IndexOf(advice) + 1],
            StringComparison.Ordinal
        );
        AssertReadable(report.Statements);
    }

    [Fact]
    public void Evaluate_WhenNoThresholdKeepsTheRequirements_SaysSo()
    {
        var report = Run(
            Fraud
                + "columns: { label: y, score: p }\nthreshold: 0.5\ncosts: { false_positive: 1, false_negative: 2 }\nrequirements:\n  - { metric: precision, min: 0.99 }\n",
            Csv("y,p", ("fraud,0.9", 20), ("legit,0.9", 20), ("legit,0.1", 60))
        );
        Assert.Null(report.Cost!.ConstrainedThreshold);
        Assert.NotNull(report.Cost.ConstrainedReason);
        Assert.Contains(report.Statements, s =>
            s.Contains("No threshold keeps every requirement", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Evaluate_MaxGapWithASegmentWithoutPositives_SaysWhyInsteadOfNaN()
    {
        var report = Run(
            Fraud
                + "columns: { label: y, score: p, segments: [g] }\nrequirements:\n  - { metric: recall, by: g, max_gap: 0.1 }\n  - { metric: recall, by: g, min: 0.5 }\n",
            Csv("y,p,g", ("fraud,0.9,a", 40), ("legit,0.1,a", 40), ("legit,0.1,b", 30))
        );
        AssertReadable(AllStatements(report));
        Assert.Contains(report.Requirements, r =>
            r.Statement.Contains("no fraudulent payment", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Evaluate_UndefinedMetric_KeepsNullValueWithAReasonInWords()
    {
        var report = Run(
            Fraud + "columns: { label: y, score: p }\nrequirements:\n  - { metric: recall, min: 0.5 }\n",
            Csv("y,p", ("legit,0.1", 40))
        );
        var recall = report.Metrics["recall"];
        Assert.True(double.IsNaN(recall.Value));
        Assert.Equal("no fraudulent payment among these payments, so recall cannot be measured", recall.Reason);
        AssertReadable(AllStatements(report));
    }

    [Fact]
    public void Evaluate_ConfidenceOf0_9999_IsPrintedAsTheContractGivesIt()
    {
        var report = Run(
            Fraud
                + "confidence: 0.9999\ncolumns: { label: y, score: p }\nrequirements:\n  - { metric: recall, min: 0.5 }\n",
            Csv("y,p", ("fraud,0.9", 30), ("fraud,0.1", 10), ("legit,0.1", 60))
        );
        Assert.Contains(report.Statements, s => s.Contains("at 99.99% confidence", StringComparison.Ordinal));
        Assert.DoesNotContain(AllStatements(report), s => s.Contains("100% confidence", StringComparison.Ordinal));
    }

    [Fact]
    public void Phrasing_ConfidenceAndCounts_AreExactAndAgreeInNumber()
    {
        Assert.Equal("99.99%", Phrasing.Confidence(0.9999));
        Assert.Equal("95%", Phrasing.Confidence(0.95));
        Assert.Equal("97.5%", Phrasing.Confidence(0.975));
        Assert.Equal("1 payment", Phrasing.Count(1, "payment"));
        Assert.Equal("1,200 payments", Phrasing.Count(1200, "payment"));
        Assert.DoesNotContain("unknown", Phrasing.Frequency(double.NaN), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BaselineWhereBothFlagNothing_StatesNoNaNOrNa()
    {
        const string header = "id,y,p";
        var data = Csv(header, ("a,fraud,0.1", 1), ("b,fraud,0.2", 1), ("c,legit,0.1", 1), ("d,legit,0.3", 1));
        var report = Run(Fraud + "columns: { id: id, label: y, score: p }\nthreshold: 0.5\n", data, data);
        Assert.NotNull(report.Comparison);
        AssertReadable(AllStatements(report));
    }

    [Fact]
    public void CompareMetric_PositiveRateChange_IsHigherOrLower_NeverBetterOrWorse()
    {
        static MetricValue Rate(long x, long n)
        {
            var w = Overlap.Core.Statistics.Wilson.Interval(x, n, 0.95);
            return new MetricValue((double)x / n, w.Low, w.High, n);
        }
        var up = RunComparer.CompareMetric("positive_rate", Rate(100, 1000), Rate(300, 1000), 0.95);
        Assert.Equal("higher", up.Direction);
        Assert.DoesNotContain("better", up.Statement, StringComparison.Ordinal);
        Assert.DoesNotContain("worse", up.Statement, StringComparison.Ordinal);
        var down = RunComparer.CompareMetric("positive_rate", Rate(300, 1000), Rate(100, 1000), 0.95);
        Assert.Equal("lower", down.Direction);
        Assert.Equal("worse", RunComparer.CompareMetric("recall", Rate(300, 1000), Rate(100, 1000), 0.95).Direction);
    }

    [Fact]
    public void Evaluate_MulticlassWithBaseline_ComparesAccuracyByMcNemar()
    {
        const string yaml =
            "feature: t\ntask: multiclass\nlabels: { classes: [a, b, c] }\ncolumns: { id: id, label: y, prediction: d }\n";
        var data = new StringBuilder("id,y,d\n");
        var baseline = new StringBuilder("id,y,d\n");
        string[] classes = ["a", "b", "c"];
        for (var i = 0; i < 300; i++)
        {
            var y = classes[i % 3];
            data.Append(CultureInfo.InvariantCulture, $"{i},{y},{(i % 10 == 0 ? classes[(i + 1) % 3] : y)}\n");
            baseline.Append(CultureInfo.InvariantCulture, $"{i},{y},{(i % 2 == 0 ? classes[(i + 1) % 3] : y)}\n");
        }
        var report = Run(yaml, data.ToString(), baseline.ToString());
        var accuracy = Assert.Single(report.Comparison!.Differences, d => d.Metric == "accuracy");
        Assert.Equal(0.5, accuracy.Baseline, 12);
        Assert.Equal(0.9, accuracy.Candidate, 12);
        Assert.StartsWith("mcnemar", accuracy.Method, StringComparison.Ordinal);
        Assert.Equal("better", accuracy.Direction);
    }

    [Fact]
    public void Evaluate_RegressionWithBaseline_ComparesMaeByPairedBootstrap()
    {
        const string yaml = "feature: t\ntask: regression\ncolumns: { id: id, label: y, prediction: d }\n";
        var data = new StringBuilder("id,y,d\n");
        var baseline = new StringBuilder("id,y,d\n");
        for (var i = 0; i < 200; i++)
        {
            data.Append(CultureInfo.InvariantCulture, $"{i},{i},{i + (i % 2 == 0 ? 1 : -1)}\n");
            baseline.Append(CultureInfo.InvariantCulture, $"{i},{i},{i + (i % 2 == 0 ? 3 : -3)}\n");
        }
        var report = Run(yaml, data.ToString(), baseline.ToString());
        var mae = Assert.Single(report.Comparison!.Differences, d => d.Metric == "mae");
        Assert.Equal(3, mae.Baseline, 12);
        Assert.Equal(1, mae.Candidate, 12);
        Assert.Equal("paired_bootstrap", mae.Method);
        Assert.Equal("better", mae.Direction);
    }

    [Fact]
    public void Evaluate_ModelNoBetterThanTheMajorityClass_SaysSoFirst()
    {
        // 90 legit, 10 fraud; the model flags 10 legit and catches 5 fraud: accuracy 0.85 against 0.90 for "always legit".
        var report = Run(
            Fraud + "columns: { label: y, prediction: d }\n",
            Csv("y,d", ("fraud,fraud", 5), ("fraud,legit", 5), ("legit,fraud", 10), ("legit,legit", 80))
        );
        var trivial = report.TrivialBaseline!;
        Assert.Equal("accuracy", trivial.Metric);
        Assert.Equal(0.9, trivial.Baseline, 12);
        Assert.Equal(0.85, trivial.Model, 12);
        Assert.False(trivial.Beats);
        Assert.StartsWith("The model does not beat", report.Statements[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TrivialBaseline_GivesTheDifferenceInPointsBesideThePercentages()
    {
        // 0.85 against 0.90 is "5 points lower", never "85% against 90% (-0.05, -0.1 to 0.01)": shares and raw decimals mixed.
        var report = Run(
            Fraud + "columns: { label: y, prediction: d }\n",
            Csv("y,d", ("fraud,fraud", 5), ("fraud,legit", 5), ("legit,fraud", 10), ("legit,legit", 80))
        );
        var statement = report.TrivialBaseline!.Statement;
        Assert.Contains(
            "accuracy 85% against 90% for the simple rule, 5 points lower (",
            statement,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("-0.", statement, StringComparison.Ordinal);
        // Low and high of the paired interval, as points on the side they fall.
        var (low, high) = (report.TrivialBaseline.CiLow!.Value, report.TrivialBaseline.CiHigh!.Value);
        Assert.True(low < 0 && high > 0);
        Assert.Contains(
            string.Create(
                CultureInfo.InvariantCulture,
                $"from {Phrasing.Number(Math.Round(-low * 100, 1))} points lower to {Phrasing.Number(Math.Round(high * 100, 1))} points higher at 95% confidence"
            ),
            statement,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Evaluate_GapGroupAheadOfOverall_IsSaidToBeAbove_AndOneMistakeIsSingular()
    {
        const string yaml =
            "feature: t\ntask: multiclass\nlabels: { classes: [a, b] }\ncolumns: { label: y, prediction: d, segments: [g] }\n"
            + "requirements:\n  - { metric: accuracy, by: g, max_gap: 0.1 }\n";
        // Group y: 90 of 91 right, its gap settled under the bar; group x: 3 of 3 right, 1.1 points above the overall 93
        // of 94 but too few to settle, so x decides the verdict: it is ahead of overall, not "-1.1 points below".
        var report = Run(yaml, Csv("y,d,g", ("a,a,x", 3), ("a,a,y", 80), ("b,b,y", 10), ("a,b,y", 1)));
        var gap = Assert.Single(report.Requirements);
        Assert.Equal("x", gap.Segment);
        Assert.Contains("1.1 points above overall", gap.Statement, StringComparison.Ordinal);
        Assert.DoesNotContain("overall, -", gap.Statement, StringComparison.Ordinal);
        Assert.Contains(
            "The most common mistake: 'a' taken for 'b' (1 case).",
            report.Statements,
            StringComparer.Ordinal
        );
        AssertReadable(AllStatements(report));
    }

    [Fact]
    public void Evaluate_OneRegressionExample_PassesNothing_AndSaysWhatIsUnknown()
    {
        // One order, 2.8 minutes off: a bootstrap of one example is 2.8 to 2.8, which "passed" mae ≤ 5; R² read "NaN%".
        const string yaml =
            "feature: t\ntask: regression\ncolumns: { label: y, prediction: d }\nrequirements:\n  - { metric: mae, max: 5 }\n  - { metric: r2, min: 0.7 }\n";
        var report = Run(yaml, "y,d\n24.8,27.6\n");
        var mae = report.Requirements[0];
        Assert.Equal(Verdict.Inconclusive, mae.Verdict);
        Assert.Equal(2.8, mae.Value!.Value, 9);
        Assert.Null(mae.CiLow);
        Assert.Equal("one example gives no interval, so the verdict waits for more", mae.Reason);
        Assert.Contains(
            "How much of the variation the model explains is not known: every outcome among these cases is the same, so R² cannot be measured.",
            report.Statements,
            StringComparer.Ordinal
        );
        AssertReadable(AllStatements(report));
    }

    [Fact]
    public void MoreNeeded_AsymmetricInterval_ScalesTheSideThatFacesTheBar()
    {
        // A gap of -0.0018 with interval -0.0621 to 0.1108 on 53 examples, bar 0.1: the upper side (0.1126 wide) must
        // shrink to 0.1018, so 53 × (0.1126 / 0.1018)² ≈ 64.8 examples, 12 more; the symmetric half-width said "about 1".
        Assert.Equal(12, Judge.MoreNeeded(-0.0018, -0.0621, 0.1108, 53, 0.1));
    }

    [Fact]
    public void Evaluate_RegressionTrivialBaseline_IsTheMeanOfTheLabels()
    {
        const string yaml = "feature: t\ntask: regression\ncolumns: { label: y, prediction: d }\n";
        var data = new StringBuilder("y,d\n");
        for (var i = 0; i < 100; i++)
        {
            data.Append(CultureInfo.InvariantCulture, $"{i},{i + 1}\n");
        }
        var report = Run(yaml, data.ToString());
        var trivial = report.TrivialBaseline!;
        Assert.Equal("mae", trivial.Metric);
        Assert.Equal(25, trivial.Baseline, 9); // mean |i - 49.5| over 0..99
        Assert.Equal(1, trivial.Model, 12);
        Assert.True(trivial.Beats);
        Assert.True(trivial.CiLow < trivial.Difference && trivial.Difference < trivial.CiHigh);
    }
}
