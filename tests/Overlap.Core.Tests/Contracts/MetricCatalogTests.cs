using Overlap.Core.Contracts;
using Overlap.Core.Metrics;
using Overlap.Core.Monitoring;
using Overlap.Core.Planning;
using Overlap.Core.Statements;

namespace Overlap.Core.Tests.Contracts;

/// <summary>
/// Walks the metric registry and checks that every place derived from it covers every metric, so a metric declared in
/// <see cref="MetricCatalog"/> cannot miss its words, its engine slot, its planner entry or its production figure.
/// (The schema enum and docs/contract.md's table are checked in <see cref="ContractSchemaTests"/>.)
/// </summary>
public sealed class MetricCatalogTests
{
    private static readonly ContractWords Words = new()
    {
        Positive = "spam email",
        Negative = "good email",
        Action = "moved",
        Example = "email",
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var m in MetricCatalog.All)
        {
            data.Add(m.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryMetric_HasWordsThatNameAndPhraseIt(string name)
    {
        var m = MetricCatalog.Find(name)!;
        Assert.NotEmpty(m.Tasks);
        Assert.False(string.IsNullOrWhiteSpace(m.Description));
        Assert.Equal(m.ProseName, Phrasing.Name(name));
        Assert.DoesNotContain("_", m.ProseName, StringComparison.Ordinal);
        var promise = Phrasing.Promise(
            new Requirement
            {
                Metric = name,
                Bound = Bound.Max,
                Value = 0.25,
                Line = 1,
            },
            Words
        );
        Assert.Contains(m.IsProportion ? "25%" : "0.25", promise, StringComparison.Ordinal);
        Assert.Contains(m.ProseName, Phrasing.Undefined(name, Words), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(Phrasing.Result(name, 0.25, 0.2, 0.3, 0.95, Words)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryRate_IsPhrasedInTheContractsWords_AndPlanned(string name)
    {
        var m = MetricCatalog.Find(name)!;
        if (m.Fits(TaskKind.Generative))
        {
            // Generative rates count outputs, not confusion cells: their words are checked in GenerativeMetricTests.
            Assert.Null(m.Basis);
            return;
        }
        if (!m.IsProportion)
        {
            Assert.Null(m.Basis);
            Assert.Null(new Confusion(1, 2, 3, 4).Rate(name));
            return;
        }
        Assert.NotNull(Planner.BasisOf(name));
        var promise = Phrasing.Promise(
            new Requirement
            {
                Metric = name,
                Bound = Bound.Min,
                Value = 0.9,
                Line = 1,
            },
            Words
        );
        Assert.DoesNotContain("Keep ", promise, StringComparison.Ordinal);
        Assert.Contains("email", promise, StringComparison.Ordinal);
        var c = new Confusion(Tp: 6, Fp: 2, Fn: 3, Tn: 9);
        var (successes, trials) = c.Rate(name)!.Value;
        Assert.Equal(Planner.Count(m.Basis!.Value, c), trials);
        Assert.Equal((double)successes / trials, Planner.Observed(name, c));
    }

    [Fact]
    public void EveryBinaryMetric_IsComputedByTheEngine_WithItsInterval()
    {
        var sample = new BinarySample(
            new double[] { 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1 },
            new byte[] { 1, 1, 0, 1, 0, 1, 0, 0 }
        );
        var result = BinaryEvaluator.Evaluate(sample, new BinaryOptions { Resamples = 20 });
        var binary = MetricCatalog.All.Where(m => m.Fits(TaskKind.Binary) && !m.ProductionOnly).ToList();
        Assert.Equal(
            binary.Select(m => m.Name).Order(StringComparer.Ordinal),
            result.Overall.Metrics.Keys.Order(StringComparer.Ordinal)
        );
        Assert.Equal(binary.Count(m => m.Interval == MetricInterval.Bootstrap), BinaryBootstrap.MetricCount);
        foreach (var m in binary)
        {
            Assert.True(double.IsFinite(result.Overall[m.Name].Value), m.Name);
            Assert.True(result.Overall[m.Name].Interval.IsKnown, m.Name);
            if (m.Interval == MetricInterval.Bootstrap)
            {
                // Its bootstrap slot reads the same figure the point estimate reports.
                Assert.NotNull(m.Pass);
            }
        }
    }

    [Fact]
    public void EveryPairedMetric_HasASlot_AndComesOutOfTheComparison()
    {
        var a = new BinarySample(
            new double[] { 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1 },
            new byte[] { 1, 1, 0, 1, 0, 1, 0, 0 }
        );
        var b = new BinarySample(
            new double[] { 0.8, 0.9, 0.3, 0.7, 0.2, 0.6, 0.4, 0.1 },
            new byte[] { 1, 1, 0, 1, 0, 1, 0, 0 }
        );
        var result = PairedComparison.Compare(a, b, new BinaryOptions { Resamples = 20 });
        var paired = MetricCatalog.All.Where(m => m.PairedOrder is not null).ToList();
        Assert.All(paired, m => Assert.NotNull(m.Pass));
        Assert.Equal(paired.Count, paired.Select(m => m.PairedOrder).Distinct().Count());
        Assert.Equal(PairedComparison.Metrics, result.Differences.Keys);
        var single = BinaryEvaluator.Evaluate(b, new BinaryOptions { Resamples = 0 }).Overall;
        Assert.All(paired, m => Assert.Equal(single[m.Name].Value, result.Differences[m.Name].B, 12));
    }

    [Fact]
    public void EveryMulticlassAndRegressionMetric_IsComputedByItsEngine()
    {
        var multi = MulticlassEvaluator.Evaluate(
            new MulticlassSample(new[] { 0, 1, 2, 1, 0, 2 }, new[] { 0, 1, 1, 1, 2, 2 }, ["a", "b", "c"]),
            new MulticlassOptions { Resamples = 10 }
        );
        Assert.Equal(Judged(TaskKind.Multiclass), multi.Overall.Metrics.Keys.Order(StringComparer.Ordinal));
        var regression = RegressionEvaluator.Evaluate(
            new RegressionSample(new[] { 1.0, 2, 3, 4, 5 }, new[] { 1.5, 2, 2.5, 4.5, 5 }),
            new RegressionOptions { Resamples = 10 }
        );
        Assert.Equal(Judged(TaskKind.Regression), regression.Overall.Metrics.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryLatencyMetric_IsMeasuredInProduction()
    {
        var latency = ProductionMetrics.Latency(new double[] { 10, 20, 30, 40, 50 }, 0.95);
        var declared = MetricCatalog.All.Where(m => m.LatencyQuantile is not null).Select(m => m.Name);
        Assert.Equal(declared, latency.Keys);
        // Production figures bring their own intervals; a share of users, or of guarded calls, is a Wilson proportion.
        Assert.All(MetricCatalog.All.Where(m => m.ProductionOnly), m =>
            Assert.Equal(
                m.OnUsers || (m.OnWorkflow && m.Name != "attempts_per_call")
                    ? MetricInterval.Wilson
                    : MetricInterval.Production,
                m.Interval
            )
        );
        Assert.Equal(30, latency["latency_p50_ms"].Value);
    }

    private static IOrderedEnumerable<string> Judged(TaskKind task) =>
        MetricCatalog
            .All.Where(m => m.Fits(task) && !m.ProductionOnly)
            .Select(m => m.Name)
            .Order(StringComparer.Ordinal);
}
