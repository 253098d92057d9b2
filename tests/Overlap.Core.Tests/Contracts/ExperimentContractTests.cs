using Overlap.Core.Contracts;

namespace Overlap.Core.Tests.Contracts;

/// <summary>The contract's <c>experiments:</c> list: what it reads, and what it refuses in words.</summary>
public sealed class ExperimentContractTests
{
    private const string Head = """
        feature: spam-filter
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: is_spam, score: p_spam }

        """;

    private static Contract Parse(string experiments) => ContractParser.Parse(Head + experiments, "overlap.yaml");

    private static string Refusal(string experiments)
    {
        var error = Assert.Throws<ContractException>(() => Parse(experiments));
        return string.Join("\n", error.Errors.Select(e => $"{e.Line}: {e.Problem}"));
    }

    [Fact]
    public void Experiment_ReadsEveryKey_WithDirectionsFromTheCatalog()
    {
        var contract = Parse(
            """
            experiments:
              - name: spam-v2
                control: nb@1
                treatment: nb@2
                split: [90, 10]
                unit: account_id
                salt: spam-v2-december
                primary:
                  - { metric: recall, min_effect: 0.03 }
                guardrails:
                  - { metric: false_positive_rate, margin: 0.005 }
                  - { metric: latency_p95_ms, margin: 50 }
                  - { business: refunds, margin: 0, better: lower }
                power: 0.9
                max_duration: 14d
              - name: spam-v3-shadow
                control: nb@1
                treatment: nb@3
                shadow: true
                primary: [{ metric: accuracy, min_effect: 0.01 }]
            """
        );
        var (v2, shadow) = (contract.Experiments[0], contract.Experiments[1]);
        Assert.Equal(
            ("spam-v2", "nb@1", "nb@2", "account_id", "spam-v2-december"),
            (v2.Name, v2.Control, v2.Treatment, v2.Unit, v2.Salt)
        );
        Assert.Equal([90.0, 10.0], v2.Split);
        Assert.Equal((0.9, TimeSpan.FromDays(14), false), (v2.Power, v2.MaxDuration, v2.Shadow));
        var recall = Assert.Single(v2.Primary);
        Assert.Equal(
            ("recall", true, 0.03, (double?)null),
            (recall.Name, recall.HigherIsBetter, recall.MinEffect, recall.Margin)
        );
        Assert.Equal(
            [("false_positive_rate", false, 0.005), ("latency_p95_ms", false, 50.0), ("refunds", false, 0.0)],
            v2.Guardrails.Select(g => (g.Name, g.HigherIsBetter, g.Margin!.Value))
        );
        Assert.Equal("refunds", v2.Guardrails[2].Business);
        Assert.Equal(("spam-v3-shadow", true, "prediction"), (shadow.Salt, shadow.Shadow, shadow.Unit));
        Assert.Equal([50.0, 50.0], shadow.Split);
        Assert.Equal((0.8, TimeSpan.FromDays(28)), (shadow.Power, shadow.MaxDuration));
        Assert.Equal(
            ("accuracy", true, 0.01),
            (shadow.Primary[0].Name, shadow.Primary[0].HigherIsBetter, shadow.Primary[0].MinEffect!.Value)
        );
    }

    [Theory]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@1, primary: [{ metric: recall, min_effect: 0.03 }] }",
        "'treatment' is 'nb@1', the same model version as 'control'; name the version tried"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, shadow: true, split: [50, 50], primary: [{ metric: recall, min_effect: 0.03 }] }",
        "a shadow experiment serves only the control and scores the treatment on the same traffic, so it has no 'split'"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, shadow: true, primary: [{ metric: recall, min_effect: 0.03 }], guardrails: [{ business: refunds, margin: 0, better: lower }] }",
        "a shadow experiment never serves its treatment, so no business event ('refunds') can follow from it"
    )]
    [InlineData("experiments:\n  - { name: v2, control: nb@1, treatment: nb@2 }", "needs 'primary'")]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: recal, min_effect: 0.03 }] }",
        "'recal' is not a metric of a binary feature; did you mean 'recall'?"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: recall, min_effect: 0 }] }",
        "'min_effect' is 0, outside"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: recall }] }",
        "needs 'min_effect'"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: recall, business: sales, min_effect: 1 }] }",
        "names either 'metric' (a contract metric) or 'business' (a business event)"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: recall, min_effect: 0.03, better: lower }] }",
        "'better' is for a business event; whether a higher recall is better is known"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, split: [50], primary: [{ metric: recall, min_effect: 0.03 }] }",
        "'split' is two weights, control then treatment"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, shadow: yes, primary: [{ metric: recall, min_effect: 0.03 }] }",
        "'shadow' is true or false, not 'yes'"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: recall, min_effect: 0.03 }] }\n  - { name: v2, control: nb@1, treatment: nb@3, primary: [{ metric: recall, min_effect: 0.03 }] }",
        "two experiments are named 'v2'"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: recall, min_effect: 0.03 }], guardrail: [] }",
        "unknown key 'guardrail' in an item of 'experiments'; did you mean 'guardrails'?"
    )]
    [InlineData(
        "experiments:\n  - { name: v2, control: nb@1, treatment: nb@2, primary: [{ metric: roc_auc, min_effect: 0.01 }] }",
        "'roc_auc' cannot be compared between arms yet; use a rate such as recall"
    )]
    public void Experiment_Refusals_SayWhatIsWrongAndWhatToDo(string experiments, string expected) =>
        Assert.Contains(expected, Refusal(experiments), StringComparison.Ordinal);

    [Fact]
    public void Experiment_RefusalsInSeveralItems_AreReportedAtOnce()
    {
        var refusal = Refusal(
            """
            experiments:
              - { name: a, control: x, treatment: x, primary: [{ metric: recall, min_effect: 0.03 }] }
              - { name: b, control: x, treatment: y, primary: [{ metric: r2, min_effect: 0.03 }] }
            """
        );
        Assert.Contains("6: 'treatment' is 'x'", refusal, StringComparison.Ordinal);
        Assert.Contains("7: 'r2' is not a metric of a binary feature", refusal, StringComparison.Ordinal);
    }
}
