using Overlap.Core.Contracts;

namespace Overlap.Core.Metrics;

/// <summary>The multiclass metric names the code refers to, and the multiclass lists derived from <see cref="MetricCatalog"/>.</summary>
internal static class MulticlassMetricNames
{
    /// <summary>Share of examples whose predicted class is the true one.</summary>
    public const string Accuracy = BinaryMetricNames.Accuracy;

    /// <summary>Unweighted mean of the per-class F1 over all k classes.</summary>
    public const string MacroF1 = "macro_f1";

    /// <summary>Mean of the per-class F1 weighted by each class's support.</summary>
    public const string WeightedF1 = "weighted_f1";

    /// <summary>Unweighted mean of the per-class precision over all k classes.</summary>
    public const string MacroPrecision = "macro_precision";

    /// <summary>Unweighted mean of the per-class recall over all k classes.</summary>
    public const string MacroRecall = "macro_recall";

    /// <summary>Per class: share of the examples predicted as the class that are of it.</summary>
    public const string Precision = BinaryMetricNames.Precision;

    /// <summary>Per class: share of the examples of the class predicted as it.</summary>
    public const string Recall = BinaryMetricNames.Recall;

    /// <summary>Per class: harmonic mean of the class's precision and recall.</summary>
    public const string F1 = BinaryMetricNames.F1;

    /// <summary>The group metrics whose intervals come from the percentile bootstrap, in engine order.</summary>
    public static IReadOnlyList<string> Averages { get; } =
        MetricCatalog.Judged(TaskKind.Multiclass, MetricInterval.Bootstrap);

    /// <summary>Every group metric: accuracy, then the averages.</summary>
    public static IReadOnlyList<string> All { get; } = [Accuracy, .. Averages];

    /// <summary>Every per-class metric.</summary>
    public static IReadOnlyList<string> PerClass { get; } = [Precision, Recall, F1];
}
