namespace Overlap.Core.Contracts;

/// <summary>Every metric name a contract may use, and what it fits.</summary>
public static class MetricCatalog
{
    private static readonly TaskKind[] Binary = [TaskKind.Binary];
    private static readonly TaskKind[] Multiclass = [TaskKind.Multiclass];
    private static readonly TaskKind[] Classification = [TaskKind.Binary, TaskKind.Multiclass];
    private static readonly TaskKind[] Regression = [TaskKind.Regression];
    private static readonly TaskKind[] Any = [TaskKind.Binary, TaskKind.Multiclass, TaskKind.Regression];

    private static readonly Dictionary<string, MetricInfo> ByName = new MetricInfo[]
    {
        new("accuracy", Classification, true, true, true, false, false, "share of decisions that are right"),
        new("precision", Binary, true, true, true, false, false, "share of flagged cases that are truly positive"),
        new("recall", Binary, true, true, true, false, false, "share of positive cases that are caught"),
        new("specificity", Binary, true, true, true, false, false, "share of negative cases left alone"),
        new("false_positive_rate", Binary, false, true, true, false, false, "share of negative cases wrongly flagged"),
        new("false_negative_rate", Binary, false, true, true, false, false, "share of positive cases missed"),
        new("positive_rate", Binary, true, true, true, false, false, "share of all cases flagged", HasDirection: false),
        new("f1", Binary, true, false, true, false, false, "harmonic mean of precision and recall"),
        new("roc_auc", Binary, true, false, true, false, true, "chance a positive case scores above a negative one"),
        new("pr_auc", Binary, true, false, true, false, true, "average precision over all thresholds"),
        new("brier", Binary, false, false, true, false, true, "mean squared error of the score"),
        new("log_loss", Binary, false, false, false, false, true, "mean negative log-likelihood of the score"),
        new("ece", Binary, false, false, true, false, true, "expected calibration error of the score"),
        new("macro_f1", Multiclass, true, false, true, false, false, "F1 averaged over classes"),
        new("weighted_f1", Multiclass, true, false, true, false, false, "F1 averaged over classes, weighted by support"),
        new("macro_precision", Multiclass, true, false, true, false, false, "precision averaged over classes"),
        new("macro_recall", Multiclass, true, false, true, false, false, "recall averaged over classes"),
        new("mae", Regression, false, false, false, false, false, "mean absolute error"),
        new("rmse", Regression, false, false, false, false, false, "root mean squared error"),
        new("r2", Regression, true, false, false, false, false, "share of variance explained"),
        new("mape", Regression, false, false, false, false, false, "mean absolute percentage error, as a fraction"),
        new("median_ae", Regression, false, false, false, false, false, "median absolute error"),
        new("latency_p50_ms", Any, false, false, false, true, false, "median latency in milliseconds"),
        new("latency_p95_ms", Any, false, false, false, true, false, "95th percentile latency in milliseconds"),
        new("latency_p99_ms", Any, false, false, false, true, false, "99th percentile latency in milliseconds"),
        new("cost_per_1000", Any, false, false, false, true, false, "cost of 1,000 predictions"),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>All known metrics.</summary>
    public static IEnumerable<MetricInfo> All => ByName.Values;

    /// <summary>The metric with this name, or null.</summary>
    public static MetricInfo? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The names that fit a task, for messages.</summary>
    public static IEnumerable<string> NamesFor(TaskKind task) =>
        ByName.Values.Where(m => m.Tasks.Contains(task)).Select(m => m.Name);
}
