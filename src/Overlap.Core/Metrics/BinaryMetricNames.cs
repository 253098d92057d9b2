using Overlap.Core.Contracts;

namespace Overlap.Core.Metrics;

/// <summary>The binary metric names the code refers to, and the binary lists derived from <see cref="MetricCatalog"/>.</summary>
internal static class BinaryMetricNames
{
    /// <summary>Share of decisions that are right.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Share of flagged examples that are positive.</summary>
    public const string Precision = "precision";

    /// <summary>Share of positives flagged.</summary>
    public const string Recall = "recall";

    /// <summary>Share of negatives not flagged.</summary>
    public const string Specificity = "specificity";

    /// <summary>Share of negatives flagged.</summary>
    public const string FalsePositiveRate = "false_positive_rate";

    /// <summary>Share of positives missed.</summary>
    public const string FalseNegativeRate = "false_negative_rate";

    /// <summary>Share of all examples flagged.</summary>
    public const string PositiveRate = "positive_rate";

    /// <summary>Harmonic mean of precision and recall.</summary>
    public const string F1 = "f1";

    /// <summary>Area under the ROC curve, ties counting half.</summary>
    public const string RocAuc = "roc_auc";

    /// <summary>Average precision (step-wise area under the precision–recall curve).</summary>
    public const string PrAuc = "pr_auc";

    /// <summary>Mean squared difference between score and label.</summary>
    public const string Brier = "brier";

    /// <summary>Mean negative log-likelihood of the labels under the scores.</summary>
    public const string LogLoss = "log_loss";

    /// <summary>Expected calibration error over 10 equal-width score bins.</summary>
    public const string Ece = "ece";

    /// <summary>The proportions, whose intervals are Wilson intervals.</summary>
    public static IReadOnlyList<string> Proportions { get; } =
        MetricCatalog.Judged(TaskKind.Binary, MetricInterval.Wilson);

    /// <summary>The metrics whose intervals come from the percentile bootstrap.</summary>
    public static IReadOnlyList<string> Bootstrapped { get; } =
        MetricCatalog.Judged(TaskKind.Binary, MetricInterval.Bootstrap);

    /// <summary>Every binary metric, proportions first.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Proportions, .. Bootstrapped];
}
