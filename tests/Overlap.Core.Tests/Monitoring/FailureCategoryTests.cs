using Overlap.Core.Contracts;
using Overlap.Core.Monitoring;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Monitoring;

/// <summary>
/// A window's failure categories from settled reviews: only decisions on the window's outputs count, each output once
/// (its last decision), every contract category is listed in its order (also one nobody picked), and each share of the
/// reviewed outputs carries the Wilson interval (checked against statsmodels in the Statistics tests).
/// </summary>
public sealed class FailureCategoryTests
{
    private const string Yaml = """
        feature: drafts
        task: generative
        columns: { id: id, output: draft }
        words: { output: draft }
        checks:
          - { name: short, max_length: 40 }
        review: { sample: 0.01, failure_categories: [rude, wrong, off_topic] }
        requirements:
          - { metric: acceptable_rate, min: 0.5 }
        """;

    private static List<GenerativeOutput> Outputs(int n) =>
        [.. Enumerable.Range(0, n).Select(i => new GenerativeOutput { Id = $"o{i}", Output = "Hi." })];

    [Fact]
    public void Categories_CountTheWindowsSettledDecisions_WithWilsonShares()
    {
        var contract = ContractParser.Parse(Yaml);
        (string, string?)[] reviews =
        [
            ("o0", "rude"),
            ("o1", "wrong"),
            ("o2", "rude"),
            ("o3", null),
            ("elsewhere", "rude"),
            ("o4", "wrong"),
            ("o4", "rude"),
        ];

        var (reviewed, categories) = GenerativeWindowMonitor.FailureCategories(contract, Outputs(6), reviews);

        // o0–o4 reviewed (o5 not; "elsewhere" is another window's); o4's last decision says rude.
        Assert.Equal(5, reviewed);
        Assert.Equal(["rude", "wrong", "off_topic"], categories.Select(c => c.Category));
        Assert.Equal([3L, 1L, 0L], categories.Select(c => c.Count));
        foreach (var (c, k) in categories.Zip([3, 1, 0]))
        {
            var w = Wilson.Interval(k, 5, 0.95);
            Assert.Equal(k / 5.0, c.Share.Value, 12);
            Assert.Equal((w.Low, w.High, 5L), (c.Share.CiLow, c.Share.CiHigh, c.Share.N));
            Assert.Null(c.Share.Reason);
        }
    }

    [Fact]
    public void Categories_WithNothingReviewed_SayWhy()
    {
        var (reviewed, categories) = GenerativeWindowMonitor.FailureCategories(
            ContractParser.Parse(Yaml),
            Outputs(3),
            [("elsewhere", "rude")]
        );
        Assert.Equal(0, reviewed);
        Assert.All(categories, c =>
        {
            Assert.Equal(0, c.Count);
            Assert.True(double.IsNaN(c.Share.Value));
            Assert.Equal("no draft in this window has a settled review yet", c.Share.Reason);
        });
    }

    [Fact]
    public void Categories_OfAContractWithoutAny_AreEmpty()
    {
        var contract = ContractParser.Parse(Yaml.Replace(", failure_categories: [rude, wrong, off_topic]", ""));
        var (reviewed, categories) = GenerativeWindowMonitor.FailureCategories(contract, Outputs(2), [("o0", null)]);
        Assert.Equal(1, reviewed);
        Assert.Empty(categories);
    }
}
