using Overlap.Core.Metrics;

namespace Overlap.Core.Tests.Metrics;

/// <summary>
/// Guards the binary engine's use of the helpers it now shares with the multiclass and regression engines
/// (row order with ties, replicate runner, interval builders). Figures from sklearn 1.2.1.
/// </summary>
public sealed class BinaryEvaluatorSmokeTests
{
    private static readonly double[] Scores = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.5, 0.3, 0.2, 0.1, 0.8, 0.4];
    private static readonly byte[] Labels = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0];

    [Fact]
    public void Evaluate_TiedScores_MatchSklearn_AndIntervalsIndependentOfParallelism()
    {
        var sample = new BinarySample(Scores, Labels);
        var one = BinaryEvaluator.Evaluate(sample, new BinaryOptions { Resamples = 50, MaxDegreeOfParallelism = 1 });
        var two = BinaryEvaluator.Evaluate(sample, new BinaryOptions { Resamples = 50, MaxDegreeOfParallelism = 2 });
        MetricFixtures.Close(0.7500000000000001, one.Overall[BinaryMetricNames.RocAuc].Value, 1e-12, "roc_auc");
        MetricFixtures.Close(0.7450757575757576, one.Overall[BinaryMetricNames.PrAuc].Value, 1e-12, "pr_auc");
        MetricFixtures.Close(0.7142857142857143, one.Overall[BinaryMetricNames.F1].Value, 1e-12, "f1");
        MetricFixtures.Close(0.20583333333333334, one.Overall[BinaryMetricNames.Brier].Value, 1e-12, "brier");
        MetricFixtures.Close(0.5982917510112971, one.Overall[BinaryMetricNames.LogLoss].Value, 1e-12, "log_loss");
        Assert.True(one.Overall[BinaryMetricNames.RocAuc].Interval.IsKnown);
        Assert.Equal(one.Overall.Metrics.OrderBy(m => m.Key), two.Overall.Metrics.OrderBy(m => m.Key));
    }
}
