using Overlap.Core.Contracts;

namespace Overlap.Core.Metrics;

/// <summary>The regression metric names the code refers to, and the regression list derived from <see cref="MetricCatalog"/>.</summary>
internal static class RegressionMetricNames
{
    /// <summary>Mean absolute error.</summary>
    public const string Mae = "mae";

    /// <summary>Root mean squared error.</summary>
    public const string Rmse = "rmse";

    /// <summary>Coefficient of determination, as <c>sklearn.metrics.r2_score</c>.</summary>
    public const string R2 = "r2";

    /// <summary>Mean absolute percentage error, a fraction, as <c>mean_absolute_percentage_error</c>.</summary>
    public const string Mape = "mape";

    /// <summary>Median absolute error.</summary>
    public const string MedianAe = "median_ae";

    /// <summary>Every regression metric, all with percentile bootstrap intervals, in engine order.</summary>
    public static IReadOnlyList<string> All { get; } =
        MetricCatalog.Judged(TaskKind.Regression, MetricInterval.Bootstrap);
}
