using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Experiments;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Experiments;

/// <summary>
/// A shadow experiment judged on the pairs (the served control and the shadow treatment on the same labelled emails):
/// every rate against scikit-learn, statsmodels' McNemar, the paired bootstrap as numpy draws it with the same counts,
/// and the confidence sequence on the paired variance (Fixtures/experiments/make_experiment_fixtures.py, "shadow"); the
/// latency per arm as the A/B analysis compares it; the decision and its words.
/// </summary>
public sealed class ShadowAnalysisTests
{
    private static readonly JsonElement Case = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "experiments", "experiments.json")))
        .RootElement.GetProperty("shadow")
        .Clone();

    /// <summary>Every rate the fixture figures, each with the fixture's min_effect or margin.</summary>
    internal const string Experiment = """
          - name: challenger
            control: nb@1
            treatment: nb@2
            shadow: true
            primary:
              - { metric: recall, min_effect: 0.03 }
              - { metric: accuracy, min_effect: 0.02 }
            guardrails:
              - { metric: false_positive_rate, margin: 0.02 }
              - { metric: precision, margin: 0.02 }
              - { metric: specificity, margin: 0.02 }
              - { metric: false_negative_rate, margin: 0.03 }
              - { metric: latency_p95_ms, margin: 50 }
        """;

    private static readonly Contract Contract = ContractParser.Parse(
        $"""
        feature: spam-filter
        task: binary
        labels: {"{"} positive: spam, negative: ham {"}"}
        columns: {"{"} label: is_spam, score: p_spam {"}"}
        words: {"{"} positive: spam email, negative: legitimate email, example: email, action: moved to spam {"}"}
        confidence: 0.95
        experiments:
        {Experiment}
        """
    );

    private static double[] Doubles(string name) =>
        [.. Case.GetProperty(name).EnumerateArray().Select(x => x.GetDouble())];

    /// <summary>The fixture's pairs, flagged at the contract's threshold, in id order.</summary>
    private static ShadowSample Sample(bool swap = false, long unpaired = 0)
    {
        var labels = Case.GetProperty("labels").EnumerateArray().Select(x => x.GetInt32() == 1).ToArray();
        var (served, shadow) = (Doubles("served_scores"), Doubles("shadow_scores"));
        var (servedLatency, shadowLatency) = (Doubles("served_latency"), Doubles("shadow_latency"));
        if (swap)
        {
            (served, shadow, servedLatency, shadowLatency) = (shadow, served, shadowLatency, servedLatency);
        }
        var pairs = labels.Select((y, i) => new LabelledPair(y, served[i] >= 0.5, shadow[i] >= 0.5)).ToList();
        return new ShadowSample
        {
            Control = new ArmSample { Version = "nb@1", LatencyMs = servedLatency },
            Treatment = new ArmSample { Version = "nb@2", LatencyMs = shadowLatency },
            Labelled = pairs,
            Counts = new ShadowCounts(pairs.Count, pairs.Count, unpaired, 0),
        };
    }

    private static void Close(double expected, double actual, double tolerance = 1e-9) =>
        Assert.True(
            Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"expected {expected:R}, got {actual:R}"
        );

    private static void Close(JsonElement expected, Interval actual, double tolerance = 1e-9)
    {
        Close(expected[0].GetDouble(), actual.Low, tolerance);
        Close(expected[1].GetDouble(), actual.High, tolerance);
    }

    [Fact]
    public void AnalyzeShadow_EveryRate_MatchesSklearnMcNemarThePairedBootstrapAndTheFormula()
    {
        var spec = Contract.Experiments[0];
        var report = ExperimentAnalysis.AnalyzeShadow(Contract, spec, Sample(), TimeSpan.FromDays(5));
        var figures = report.Primary.Concat(report.Guardrails).ToDictionary(f => f.Metric.Name);
        var metrics = Case.GetProperty("metrics");
        Assert.Equal(6, metrics.EnumerateObject().Count());
        foreach (var m in metrics.EnumerateObject())
        {
            var (expected, figure) = (m.Value, figures[m.Name]);
            var d = figure.Difference;
            Close(expected.GetProperty("control").GetDouble(), d.Control);
            Close(expected.GetProperty("treatment").GetDouble(), d.Treatment);
            Close(expected.GetProperty("difference").GetDouble(), d.Estimate);
            Close(expected.GetProperty("fixed"), d.FixedHorizon, 1e-12);
            Close(expected.GetProperty("always_valid"), d.AlwaysValid);
            var mcnemar = expected.GetProperty("mcnemar");
            if (mcnemar.ValueKind == JsonValueKind.Null)
            {
                // Precision counts each model's own flagged emails: no pairs to test.
                Assert.Null(figure.Discordant);
                continue;
            }
            var x = figure.Discordant!;
            Assert.Equal(mcnemar.GetProperty("control_only").GetInt64(), x.ControlOnly);
            Assert.Equal(mcnemar.GetProperty("treatment_only").GetInt64(), x.TreatmentOnly);
            Assert.Equal(mcnemar.GetProperty("exact").GetBoolean(), x.Test.Exact);
            Close(mcnemar.GetProperty("statistic").GetDouble(), x.Test.Statistic);
            Close(mcnemar.GetProperty("p").GetDouble(), x.Test.PValue, 1e-9);
        }
        // The false positive rate's 14 discordant pairs take the exact test; recall's 58 the corrected chi-square.
        Assert.True(figures["false_positive_rate"].Discordant!.Test.Exact);
        Assert.False(figures["recall"].Discordant!.Test.Exact);
        Assert.Equal(800, figures["recall"].Discordant!.Pairs);
        Assert.Equal(1200, figures["false_positive_rate"].Discordant!.Pairs);

        var latency = Case.GetProperty("latency_p95_ms");
        var l = figures["latency_p95_ms"].Difference;
        Close(latency.GetProperty("control").GetDouble(), l.Control);
        Close(latency.GetProperty("treatment").GetDouble(), l.Treatment);
        Close(latency.GetProperty("fixed"), l.FixedHorizon);
        Close(latency.GetProperty("always_valid"), l.AlwaysValid);
        Assert.Null(figures["latency_p95_ms"].Discordant);
    }

    [Fact]
    public void AnalyzeShadow_BetterChallenger_IsPromotedInShadowWords_WithNoSplitCheck()
    {
        var report = ExperimentAnalysis.AnalyzeShadow(
            Contract,
            Contract.Experiments[0],
            Sample(unpaired: 3),
            TimeSpan.FromDays(5)
        );
        Assert.Null(report.Split);
        Assert.Equal(new ShadowCounts(2000, 2000, 3, 0), report.Shadow);
        Assert.Equal(ExperimentDecision.Rollout, report.Decision);
        Assert.Equal(["recall", "accuracy"], report.Reasons);
        Assert.All(report.Primary, f => Assert.Equal(FigureVerdict.Better, f.Verdict));
        Assert.All(report.Guardrails, f => Assert.Equal(FigureVerdict.WithinMargin, f.Verdict));
        var statement = ExperimentStatements.Decision(report, Contract);
        Assert.StartsWith(
            "Promote nb@2: in shadow, on the same 2,000 labelled emails, recall is 5.25 points higher (+2.413 to +8.087 points, always-valid 95%)",
            statement
        );
        Assert.Contains(
            "false positive rate +0.1667 points (−0.423 to +0.8185 points), inside the 2 points margin",
            statement
        );
        Assert.EndsWith(" 3 shadow predictions had no served prediction and are left out.", statement);
        Assert.DoesNotContain("NaN", statement);
    }

    [Fact]
    public void AnalyzeShadow_WorseChallenger_IsNotPromoted_AndTheIntervalsMirror()
    {
        var better = ExperimentAnalysis.AnalyzeShadow(
            Contract,
            Contract.Experiments[0],
            Sample(),
            TimeSpan.FromDays(5)
        );
        var report = ExperimentAnalysis.AnalyzeShadow(
            Contract,
            Contract.Experiments[0],
            Sample(swap: true),
            TimeSpan.FromDays(5)
        );
        Assert.Equal(ExperimentDecision.Rollback, report.Decision);
        Assert.Equal(["recall", "accuracy"], report.Reasons);
        // Swapping the models swaps each pair: the paired differences and both intervals change sign exactly.
        var (mine, theirs) = (report.Primary[0].Difference, better.Primary[0].Difference);
        Close(-theirs.Estimate, mine.Estimate, 1e-12);
        Close(-theirs.FixedHorizon.High, mine.FixedHorizon.Low, 1e-12);
        Close(-theirs.AlwaysValid.High, mine.AlwaysValid.Low, 1e-12);
        Assert.Equal(
            theirs.AlwaysValid.High - theirs.AlwaysValid.Low,
            mine.AlwaysValid.High - mine.AlwaysValid.Low,
            12
        );
        var statement = ExperimentStatements.Decision(report, Contract);
        Assert.StartsWith(
            "Do not promote nb@2: in shadow, on the same 2,000 labelled emails, recall is 5.25 points lower (−8.087 to −2.413 points, always-valid 95%)",
            statement
        );
        Assert.EndsWith("; keep serving nb@1.", statement);
    }

    [Fact]
    public void AnalyzeShadow_NoLabelsYet_KeepsRunning_WithoutANumberThatIsNotOne()
    {
        var sample = Sample() with { Labelled = [], Counts = new ShadowCounts(40, 0, 1, 2) };
        var report = ExperimentAnalysis.AnalyzeShadow(Contract, Contract.Experiments[0], sample, TimeSpan.FromDays(1));
        Assert.Equal(ExperimentDecision.Running, report.Decision);
        Assert.All(report.Primary, f => Assert.Equal(FigureVerdict.NotEnoughData, f.Verdict));
        var statement = ExperimentStatements.Decision(report, Contract);
        Assert.StartsWith("Keep running in shadow: an arm has fewer than 100 for recall, accuracy,", statement);
        Assert.EndsWith(
            " So far 0 labelled emails have both predictions. 1 shadow prediction had no served prediction and is left out.",
            statement
        );
        Assert.DoesNotContain("NaN", statement);
        Assert.DoesNotContain("Infinity", statement);
    }
}
