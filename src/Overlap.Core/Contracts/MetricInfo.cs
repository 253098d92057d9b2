using Overlap.Core.Metrics;
using Overlap.Core.Planning;

namespace Overlap.Core.Contracts;

/// <summary>
/// The one declaration of a metric: its name, the tasks it fits, how it is judged, the words that name and phrase it,
/// and the hooks the planner and the engines read. Every list, switch and phrasing of metrics is derived from the
/// declarations in <see cref="MetricCatalog"/>.
/// </summary>
public sealed class MetricInfo
{
    /// <summary>Declares a metric.</summary>
    /// <param name="name">The name used in contracts and reports.</param>
    /// <param name="tasks">The tasks it fits.</param>
    /// <param name="description">A short phrase for a person (docs/contract.md's "meaning").</param>
    internal MetricInfo(string name, TaskKind[] tasks, string description)
    {
        Name = name;
        Tasks = tasks;
        Description = description;
    }

    /// <summary>The name used in contracts and reports.</summary>
    public string Name { get; }

    /// <summary>The tasks it fits.</summary>
    public IReadOnlyList<TaskKind> Tasks { get; }

    /// <summary>A short phrase for a person.</summary>
    public string Description { get; }

    /// <summary>True when a larger value is better (recall); false for error rates and losses.</summary>
    public bool HigherIsBetter { get; init; }

    /// <summary>False when neither a higher nor a lower value is better in itself (positive rate): a change is then "higher" or "lower", never "better" or "worse".</summary>
    public bool HasDirection { get; init; } = true;

    /// <summary>How its confidence interval is found.</summary>
    public MetricInterval Interval { get; init; }

    /// <summary>True for rates judged with a Wilson interval; false for bootstrap and production metrics.</summary>
    public bool IsProportion => Interval == MetricInterval.Wilson;

    /// <summary>True when the value lies in [0, 1].</summary>
    public bool Bounded { get; init; }

    /// <summary>True when only production traffic carries it (latency, cost).</summary>
    public bool ProductionOnly { get; init; }

    /// <summary>True when it is measured on the feature's users over weeks (activation, retention), not on predictions.</summary>
    public bool OnUsers { get; init; }

    /// <summary>
    /// True when it is counted from the workflow traces a contract's guard logs with each call (retry, fallback,
    /// escalation rates…), over the guarded predictions of a window: production only, and needing no label.
    /// </summary>
    public bool OnWorkflow { get; init; }

    /// <summary>For a workflow rate, its successes and trials in a group of guarded calls; otherwise null.</summary>
    internal Func<Monitoring.WorkflowCounts, (long Successes, long Trials)>? WorkflowShare { get; init; }

    /// <summary>True when it needs the model's score, not just its decision.</summary>
    public bool NeedsScore { get; init; }

    /// <summary>The name for prose ("false positive rate", "ROC AUC").</summary>
    public string ProseName
    {
        get => _proseName ?? Name.Replace('_', ' ');
        init => _proseName = value;
    }

    private readonly string? _proseName;

    /// <summary>The unit its values and intervals are shown in ("ms"), or null.</summary>
    public string? Unit { get; init; }

    /// <summary>For a latency percentile, the quantile it is (0.95 for the 95th percentile); otherwise null.</summary>
    public double? LatencyQuantile { get; init; }

    /// <summary>For a rate of binary decisions, which examples it counts in its denominator; otherwise null.</summary>
    public PlanBasis? Basis { get; init; }

    /// <summary>For a rate of binary decisions, its successes in a set of confusion counts (recall: tp).</summary>
    internal Func<Confusion, long>? Successes { get; init; }

    /// <summary>Its value in a <see cref="WeightedPass"/> accumulator, for a binary metric the pass computes.</summary>
    internal PassReader? Pass { get; init; }

    /// <summary>Its place among the metrics <see cref="PairedComparison"/> compares, or null when it is not compared.</summary>
    internal int? PairedOrder { get; init; }

    /// <summary>Why it has no value, from the contract's words and "these …" (null: the generic reason).</summary>
    internal Func<ContractWords, string, string>? Undefined { get; init; }

    /// <summary>A requirement's promise, from the contract's words, "at least"/"at most" and the bar (null: "keep … at least …").</summary>
    internal Func<ContractWords, string, string, string>? Promise { get; init; }

    /// <summary>What a measured value means, from the contract's words and the value (null: "… is …").</summary>
    internal Func<ContractWords, double, string>? Result { get; init; }

    /// <summary>Whether it fits a task.</summary>
    public bool Fits(TaskKind task) => Tasks.Contains(task);
}

/// <summary>How a metric's confidence interval is found.</summary>
public enum MetricInterval
{
    /// <summary>A proportion: the Wilson score interval of its counts.</summary>
    Wilson,

    /// <summary>The percentile bootstrap over the examples.</summary>
    Bootstrap,

    /// <summary>A production figure (latency, cost) with its own interval or none.</summary>
    Production,
}

/// <summary>Reads one metric from a <see cref="WeightedPass"/> accumulator.</summary>
internal delegate double PassReader(ReadOnlySpan<double> accumulator);
