using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Experiments;

namespace Overlap.Core.Tests.Experiments;

/// <summary>
/// Each arm's predictions awaiting labels estimated from that arm's own calibrated scores, against scikit-learn's
/// IsotonicRegression fitted per arm (Fixtures/estimation/make_estimation_fixtures.py, experiment_arms.json), where the
/// two versions' scores mean different things; and the statement in words.
/// </summary>
public sealed class ArmEstimatorTests
{
    private static readonly JsonElement Fixture = JsonDocument
        .Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "estimation", "experiment_arms.json"))
        )
        .RootElement;

    private static Contract Contract(string words = "") =>
        ContractParser.Parse(
            $$"""
            feature: spam-filter
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { label: is_spam, score: p_spam }
            threshold: {{Fixture.GetProperty("threshold").GetDouble().ToString(
                System.Globalization.CultureInfo.InvariantCulture
            )}}
            {{words}}
            experiments:
              - name: v2
                control: v1
                treatment: v2
                primary: [{ metric: precision, min_effect: 0.03 }]
                guardrails:
                  - { metric: false_positive_rate, margin: 0.01 }
                  - { metric: latency_p95_ms, margin: 50 }
            """
        );

    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    private static ArmScores Scores(JsonElement arm) =>
        new()
        {
            Version = arm.GetProperty("version").GetString()!,
            LabelledScores = Doubles(arm.GetProperty("labelled_scores")),
            Labels = [.. arm.GetProperty("labels").EnumerateArray().Select(v => (byte)v.GetInt32())],
            AwaitingScores = Doubles(arm.GetProperty("awaiting_scores")),
        };

    private static IEnumerable<JsonElement> Arms => Fixture.GetProperty("arms").EnumerateArray();

    [Fact]
    public void Metrics_ArePrimaryAndGuardrailRates_ThenRecallAndFalsePositiveRate()
    {
        var spec = Contract().Experiments[0];
        Assert.Equal(["precision", "false_positive_rate", "recall"], ArmEstimator.Metrics(spec));
    }

    [Fact]
    public void PerArmCalibration_GivesEachArmScikitLearnsFigure()
    {
        var contract = Contract();
        foreach (var arm in Arms)
        {
            var estimate = ArmEstimator.Estimate(contract, contract.Experiments[0], Scores(arm), minimumRows: 100);
            var expected = arm.GetProperty("per_arm");
            Assert.True(estimate.Isotonic, $"{estimate.Version}: its miscalibrated scores should be recalibrated");
            Assert.Equal(arm.GetProperty("awaiting_scores").GetArrayLength(), estimate.Awaiting);
            Assert.Equal(arm.GetProperty("labels").GetArrayLength(), estimate.CalibrationRows);
            Assert.Equal(["precision", "false_positive_rate", "recall"], estimate.Metrics.Select(m => m.Metric));
            foreach (var m in estimate.Metrics)
            {
                Assert.Equal(expected.GetProperty(m.Metric).GetDouble(), m.Value.Value, 1e-9);
                Assert.True(
                    m.Value.CiLow < m.Value.Value && m.Value.Value < m.Value.CiHigh,
                    $"{estimate.Version} {m.Metric}: {m.Value.Value} outside ({m.Value.CiLow}, {m.Value.CiHigh})"
                );
                Assert.Equal(estimate.Awaiting, m.Value.N);
            }
        }
    }

    [Fact]
    public void SharedCalibration_WouldMisstateBothArms()
    {
        // One calibration fitted on both arms' labels together (what a calibration not kept per arm gives), as
        // scikit-learn computes it; it is far from each arm's own, and further from what the labels then showed.
        var contract = Contract();
        var arms = Arms.ToList();
        var shared = IsotonicCalibrator.Fit(
            [.. arms.SelectMany(a => Doubles(a.GetProperty("labelled_scores")))],
            [.. arms.SelectMany(a => a.GetProperty("labels").EnumerateArray().Select(v => (byte)v.GetInt32()))]
        );
        foreach (var arm in arms)
        {
            var awaiting = Doubles(arm.GetProperty("awaiting_scores"));
            var pooled = PerformanceEstimator.Estimate(
                awaiting,
                [.. awaiting.Select(shared.Predict)],
                contract.Threshold,
                0.95,
                0,
                1,
                true
            );
            var own = ArmEstimator.Estimate(contract, contract.Experiments[0], Scores(arm), minimumRows: 100);
            var realised = arm.GetProperty("realised");
            foreach (var m in own.Metrics)
            {
                var sharedFigure = pooled.Metrics[m.Metric].Value;
                Assert.Equal(arm.GetProperty("shared").GetProperty(m.Metric).GetDouble(), sharedFigure, 1e-9);
                var truth = realised.GetProperty(m.Metric).GetDouble();
                Assert.True(
                    Math.Abs(m.Value.Value - truth) < Math.Abs(sharedFigure - truth),
                    $"{own.Version} {m.Metric}: own {m.Value.Value}, shared {sharedFigure}, realised {truth}"
                );
            }
            Assert.True(
                Math.Abs(own.Metrics[0].Value.Value - pooled.Metrics["precision"].Value) > 0.1,
                $"{own.Version}: precision {own.Metrics[0].Value.Value} per arm, {pooled.Metrics["precision"].Value} shared"
            );
        }
    }

    [Fact]
    public void TooFewLabelled_SaysSoInsteadOfEstimating()
    {
        var contract = Contract(
            "words: { positive: spam email, negative: legitimate email, action: moved to the spam folder, example: email }"
        );
        var arm = Scores(Arms.First());
        var few = arm with
        {
            LabelledScores = arm.LabelledScores.Take(40).ToList(),
            Labels = arm.Labels.Take(40).ToList(),
        };
        var estimate = ArmEstimator.Estimate(contract, contract.Experiments[0], few, minimumRows: 100);
        Assert.False(estimate.Calibrated);
        Assert.Empty(estimate.Metrics);
        var positives = few.Labels.Count(l => l == 1);
        Assert.Equal(
            $"Not yet labelled: 800 emails served by v1. No estimate: calibrating v1's scores needs at least 100 of its own labelled emails, spam emails and legitimate emails both among them, and it has 40 ({positives} spam emails). The decision waits for their labels.",
            ExperimentStatements.Estimated(estimate, contract)
        );
        // Enough rows but one label only: still no calibration.
        var oneLabel = arm with { Labels = [.. arm.Labels.Select(_ => (byte)0)] };
        Assert.False(ArmEstimator.Estimate(contract, contract.Experiments[0], oneLabel, 100).Calibrated);
    }

    [Fact]
    public void Statement_GivesEachFigureInTheContractsWords_MarkedAsAnEstimate()
    {
        var contract = Contract(
            "words: { positive: spam email, negative: legitimate email, action: moved to the spam folder, example: email }"
        );
        var arm = Arms.Last();
        var estimate = ArmEstimator.Estimate(contract, contract.Experiments[0], Scores(arm), minimumRows: 100);
        var statement = ExperimentStatements.Estimated(estimate, contract);
        var p = estimate.Metrics.ToDictionary(m => m.Metric, m => m.Value);
        string Pct(double v) => Overlap.Core.Statements.Phrasing.Percent(v);
        Assert.Equal(
            "Not yet labelled: 800 emails served by v2. Estimated from its scores, calibrated on its own 1,600 labelled emails: "
                + $"of every 100 emails moved to the spam folder, {Math.Round(arm.GetProperty("per_arm").GetProperty("precision").GetDouble() * 100)} really are spam emails ({Pct(p["precision"].CiLow)} to {Pct(p["precision"].CiHigh)}); "
                + $"{Overlap.Core.Statements.Phrasing.Frequency(p["false_positive_rate"].Value)} legitimate emails are moved to the spam folder by mistake ({Pct(p["false_positive_rate"].CiLow)} to {Pct(p["false_positive_rate"].CiHigh)}); "
                + $"catches {Overlap.Core.Statements.Phrasing.Frequency(p["recall"].Value)} spam emails ({Pct(p["recall"].CiLow)} to {Pct(p["recall"].CiHigh)}), at 95% confidence. "
                + "An estimate, not a measurement: the decision waits for their labels.",
            statement
        );
        Assert.Contains("of every 100 emails moved to the spam folder, 85 really are spam emails", statement);
        Assert.Contains("catches 60 of every 100 spam emails", statement);
        Assert.DoesNotContain("NaN", statement);
        Assert.Equal(
            "No scored email served by v2 is awaiting its label: there is nothing to estimate.",
            ExperimentStatements.Estimated(
                ArmEstimator.Estimate(contract, contract.Experiments[0], Scores(arm) with { AwaitingScores = [] }, 100),
                contract
            )
        );
    }
}
