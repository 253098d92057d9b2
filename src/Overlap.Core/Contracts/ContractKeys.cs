namespace Overlap.Core.Contracts;

/// <summary>
/// Every key the contract parser reads, mapping by mapping. The parser refuses any other key, and reading a key
/// missing from these lists is a programming error, so the lists are the truth that docs/contract.md and
/// docs/overlap.schema.json are checked against.
/// </summary>
internal static class ContractKeys
{
    public static readonly string[] TopLevel =
    [
        "feature",
        "task",
        "description",
        "owners",
        "labels",
        "columns",
        "threshold",
        "costs",
        "words",
        "confidence",
        "requirements",
        "monitoring",
        "review",
        "drift",
    ];

    public static readonly string[] Tasks = ["binary", "multiclass", "regression"];

    public static readonly string[] Labels = ["positive", "negative", "classes"];

    public static readonly string[] Columns =
    [
        "id",
        "time",
        "label",
        "score",
        "prediction",
        "latency_ms",
        "segments",
        "features",
    ];

    public static readonly string[] Costs = ["false_positive", "false_negative", "currency"];

    public static readonly string[] Words = ["positive", "negative", "action", "example"];

    public static readonly string[] Requirement = ["metric", "min", "max", "max_gap", "by", "description"];

    public static readonly string[] Monitoring =
    [
        "window",
        "reference",
        "min_samples",
        "label_delay",
        "retrain_when",
        "alerts",
    ];

    public static readonly string[] Reference = ["from", "to", "data"];

    public static readonly string[] RetrainWhen = ["failed_windows", "drifted_windows"];

    public static readonly string[] Alert = ["webhook"];

    public static readonly string[] Review =
    [
        "when",
        "sample",
        "second_opinion",
        "escalate_after",
        "failure_categories",
    ];

    public static readonly string[] Drift = ["test", "columns"];

    public static readonly IReadOnlyList<string> DriftTests = global::Overlap.Core.Drift.DriftTests.Words;

    /// <summary>Each mapping's path in the contract (dots; [] for a list item) and its keys; owners and drift.columns are free-form.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string[]>> All =
    [
        new(string.Empty, TopLevel),
        new("labels", Labels),
        new("columns", Columns),
        new("costs", Costs),
        new("words", Words),
        new("requirements[]", Requirement),
        new("monitoring", Monitoring),
        new("monitoring.reference", Reference),
        new("monitoring.retrain_when", RetrainWhen),
        new("monitoring.alerts[]", Alert),
        new("review", Review),
        new("drift", Drift),
    ];
}
