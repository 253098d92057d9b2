using Overlap.Core.Contracts;
using Overlap.Core.Metrics;
using Overlap.Core.Planning;

namespace Overlap.Core.Tests.Planning;

public sealed class PlannerTests
{
    private const string Yaml = """
        feature: spam-filter
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: is_spam, score: p_spam, segments: [tld] }
        words: { positive: spam email, negative: legitimate email, action: moved to the spam folder, example: email }
        requirements:
          - { metric: recall, min: 0.90 }
          - { metric: false_positive_rate, max: 0.05 }
          - { metric: recall, by: tld, min: 0.80 }
          - { metric: roc_auc, min: 0.9 }
          - { metric: recall, by: tld, max_gap: 0.05 }
        """;

    private static readonly Contract Contract = ContractParser.Parse(Yaml);

    [Fact]
    public void PlanMetric_BriefExample_NeedsWilsonCountAndShare()
    {
        var plan = Planner.PlanMetric("recall", 0.9, 0.02, 0.95, 0.1, Contract.Words);
        Assert.Equal(SampleSize.ForWilson(0.9, 0.02, 0.95), plan.Needed);
        Assert.Equal(PlanBasis.Positives, plan.Basis);
        Assert.Equal((long)Math.Ceiling(plan.Needed / 0.1 - 1e-9), plan.ExamplesNeeded);
        Assert.Equal(
            "To measure recall to within ±2 points at 95% confidence, when it is about 90%, you need about 868 labelled spam emails — about 8,680 labelled emails at a 10% share.",
            plan.Statement
        );
    }

    [Fact]
    public void Plan_WithoutData_UsesBarAndPrevalence()
    {
        var plan = Planner.Plan(Contract, null, new PlanOptions { Prevalence = 0.2 });
        var recall = plan.Requirements[0];
        Assert.Equal("bar", recall.ExpectedFrom);
        Assert.Equal(0.9, recall.Expected);
        Assert.Equal(Planner.DefaultMargin, recall.Margin);
        Assert.Equal(868, recall.Needed);
        Assert.Equal(4340, recall.ExamplesNeeded);
        var fpr = plan.Requirements[1];
        Assert.Equal(PlanBasis.Negatives, fpr.Basis);
        Assert.Equal(0.8, fpr.Share!.Value, 1e-12);
        Assert.Equal(["roc_auc", "recall"], plan.Skipped.Select(s => s.Metric));
    }

    [Fact]
    public void Plan_WithData_ObservedRateMarginAndSegments()
    {
        // Overall: 100 positives, 80 caught; 900 negatives, 45 flagged. Segment a holds 70 positives, b 30.
        var a = new Confusion(Tp: 60, Fp: 30, Fn: 10, Tn: 500);
        var b = new Confusion(Tp: 20, Fp: 15, Fn: 10, Tn: 355);
        var data = new PlanData
        {
            Overall = a + b,
            Segments = new Dictionary<string, IReadOnlyList<KeyValuePair<string, Confusion>>>
            {
                ["tld"] = [new("com", a), new("org", b)],
            },
        };
        var plan = Planner.Plan(Contract, data);
        var recall = plan.Requirements[0];
        Assert.Equal("data", recall.ExpectedFrom);
        Assert.Equal(0.8, recall.Expected, 1e-12);
        Assert.Equal(0.1, recall.Margin, 1e-12);
        Assert.Equal(SampleSize.ForWilson(0.8, 0.1, 0.95), recall.Needed);
        Assert.Equal(100, recall.Current);
        var byTld = plan.Requirements[2];
        // Each group is sized at its own recall and its own distance to the 0.80 bar: com 60/70, org 20/30.
        var com = SampleSize.ForWilson(60.0 / 70, (60.0 / 70) - 0.8, 0.95);
        var org = SampleSize.ForWilson(20.0 / 30, 0.8 - (20.0 / 30), 0.95);
        Assert.Equal([com, org], byTld.Segments!.Select(s => s.Needed));
        Assert.Equal(Math.Max(com, org), byTld.Needed);
        Assert.Equal([Math.Max(0, com - 70), Math.Max(0, org - 30)], byTld.Segments!.Select(s => s.More));
        Assert.Equal(
            Math.Max((long)Math.Ceiling(com * 1000.0 / 70), (long)Math.Ceiling(org * 1000.0 / 30)),
            byTld.ExamplesNeeded
        );
        Assert.Equal((long)Math.Ceiling(org / 0.075 - 1e-9), byTld.Segments![1].ExamplesNeeded);
        Assert.Contains("hardest group, tld = ", byTld.Statement, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recall", PlanBasis.Positives)]
    [InlineData("false_negative_rate", PlanBasis.Positives)]
    [InlineData("specificity", PlanBasis.Negatives)]
    [InlineData("false_positive_rate", PlanBasis.Negatives)]
    [InlineData("precision", PlanBasis.Flagged)]
    [InlineData("accuracy", PlanBasis.Examples)]
    [InlineData("positive_rate", PlanBasis.Examples)]
    public void BasisOf_ProportionMetric_CountsItsDenominator(string metric, PlanBasis basis)
    {
        Assert.Equal(basis, Planner.BasisOf(metric));
        Assert.True(MetricCatalog.Find(metric)!.IsProportion);
    }

    [Fact]
    public void BasisOf_EveryCatalogProportion_IsPlanned() =>
        Assert.All(MetricCatalog.All.Where(m => m.IsProportion && !m.Fits(TaskKind.Generative)), m =>
            Assert.NotNull(Planner.BasisOf(m.Name))
        );
}
