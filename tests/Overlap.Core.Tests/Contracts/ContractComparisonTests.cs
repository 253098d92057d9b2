using Overlap.Core.Contracts;

namespace Overlap.Core.Tests.Contracts;

/// <summary>What changed between two contract versions, in sentences.</summary>
public sealed class ContractComparisonTests
{
    private const string Base = """
        feature: spam
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: y, score: s, segments: [tld] }
        threshold: 0.5
        costs: { false_positive: 4, false_negative: 0.1, currency: USD }
        words: { positive: spam email, negative: legitimate email, action: moved to junk, example: email }
        requirements:
          - { metric: recall, min: 0.85 }
          - { metric: false_positive_rate, max: 0.02 }
          - { metric: recall, by: tld, min: 0.7 }
          - { metric: recall, by: tld, max_gap: 0.1 }
        """;

    private static Contract Parse(string yaml) => ContractParser.Parse(yaml, "test");

    private static IReadOnlyList<string> Describe(params (string From, string To)[] edits)
    {
        var after = Base;
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, after, StringComparison.Ordinal);
            after = after.Replace(from, to, StringComparison.Ordinal);
        }
        return ContractComparison.Describe(Parse(Base), Parse(after));
    }

    [Fact]
    public void Describe_TheSameContract_HasNoChanges() =>
        Assert.Empty(ContractComparison.Describe(Parse(Base), Parse(Base + "\n# a comment\n")));

    [Fact]
    public void Describe_AFloorRaised_IsStricter_AndACeilingRaised_IsLooser() =>
        Assert.Equal(
            [
                "The recall bar was raised from 0.85 to 0.9 (stricter).",
                "The false positive rate ceiling was raised from 0.02 to 0.03 (looser).",
            ],
            Describe(("recall, min: 0.85", "recall, min: 0.90"), ("max: 0.02", "max: 0.03"))
        );

    [Fact]
    public void Describe_SegmentBarsAreToldApartFromTheOverallOne() =>
        Assert.Equal(
            [
                "The per-tld recall bar was lowered from 0.7 to 0.6 (looser).",
                "The largest recall gap allowed between tld groups was narrowed from 0.1 to 0.05 (stricter).",
            ],
            Describe(("by: tld, min: 0.7", "by: tld, min: 0.6"), ("max_gap: 0.1", "max_gap: 0.05"))
        );

    [Fact]
    public void Describe_BarsAddedAndRemoved_AreSaidAsPromises()
    {
        var changes = Describe(
            ("  - { metric: false_positive_rate, max: 0.02 }\n", ""),
            ("requirements:\n", "requirements:\n  - { metric: precision, min: 0.9 }\n")
        );
        Assert.Equal(
            [
                "New bar: Of the emails moved to junk, at least 90% must really be spam emails.",
                "Bar removed: At most 2% of legitimate emails may be moved to junk by mistake.",
            ],
            changes
        );
    }

    [Fact]
    public void Describe_TheSameBarWrittenTwice_IsPairedInOrder() =>
        Assert.Equal(
            ["New bar: Catch at least 90% of spam emails."],
            Describe(
                (
                    "  - { metric: recall, min: 0.85 }\n",
                    "  - { metric: recall, min: 0.85 }\n  - { metric: recall, min: 0.90 }\n"
                )
            )
        );

    [Fact]
    public void Describe_ThresholdConfidenceAndCosts_AreSaidWithBothValues() =>
        Assert.Equal(
            [
                "The decision threshold moved from 0.5 to 0.4.",
                "Intervals are now judged at 99% confidence (was 95%).",
                "The cost of a false positive went from 4 USD to 5 USD.",
            ],
            Describe(("threshold: 0.5", "threshold: 0.4\nconfidence: 0.99"), ("false_positive: 4", "false_positive: 5"))
        );

    [Fact]
    public void Describe_ThresholdSwitchedToOptimize_AndCostsDropped() =>
        Assert.Equal(
            [
                "The threshold is now the one with the lowest expected cost (was 0.5).",
                "Error costs are no longer written down: both kinds of error count the same.",
            ],
            Describe(
                ("threshold: 0.5", "threshold: optimize"),
                ("costs: { false_positive: 4, false_negative: 0.1, currency: USD }\n", "")
            )
        );
}
