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
        "checks",
        "rubric",
        "acceptable",
        "judges",
        "experiments",
        "fairness",
        "usage",
        "privacy",
        "workflow",
    ];

    public static readonly string[] Tasks = ["binary", "multiclass", "regression", "generative"];

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
        "input",
        "output",
        "reference",
        "tags",
        "tokens",
        "cost",
    ];

    public static readonly string[] Costs = ["false_positive", "false_negative", "currency"];

    public static readonly string[] Words = ["positive", "negative", "action", "example", "output"];

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

    public static readonly string[] Usage = ["user", "activation_within"];

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

    public static readonly string[] Drift = ["test", "columns", "text"];

    /// <summary>The keys of a check; one of <see cref="CheckKinds"/> says what it asserts.</summary>
    public static readonly string[] Check =
    [
        "name",
        "regex",
        "contains",
        "not_contains",
        "max_length",
        "min_length",
        "json_schema",
        "similar_to",
        "min",
        "description",
    ];

    public static readonly string[] CheckKinds =
    [
        "regex",
        "contains",
        "not_contains",
        "max_length",
        "min_length",
        "json_schema",
        "similar_to",
    ];

    public static readonly string[] Rubric = ["name", "question", "scale", "pass_at", "examples"];

    public static readonly string[] RubricExamples = ["good", "rejected"];

    public static readonly string[] Scales = ["pass_fail", "1-5"];

    public static readonly string[] Judges = ["people", "model", "min_agreement"];

    public static readonly string[] JudgesPeople = ["sample"];

    public static readonly string[] JudgesModel = ["endpoint", "model", "key", "sample", "budget_per_day"];

    public static readonly string[] Experiment =
    [
        "name",
        "control",
        "treatment",
        "split",
        "unit",
        "salt",
        "primary",
        "guardrails",
        "power",
        "max_duration",
        "shadow",
        "ended",
    ];

    public static readonly string[] ExperimentMetric = ["metric", "business", "min_effect", "margin", "better"];

    public static readonly string[] Fairness = ["attributes", "intersections", "min_group_size", "requirements"];

    public static readonly string[] FairnessRequirement = ["metric", "by", "min", "max", "description"];

    public static readonly string[] Privacy = ["default", "fields", "subject", "retention"];

    public static readonly string[] Workflow =
    [
        "input",
        "output",
        "retry",
        "fallback",
        "escalate",
        "abstain",
        "on_guard_error",
        "review_cost",
    ];

    public static readonly string[] WorkflowInput =
    [
        "required",
        "ranges",
        "categories",
        "max_unseen_share",
        "text",
        "on_failure",
    ];

    /// <summary>The keys of each entry of <c>workflow.input.ranges</c> (a free-form mapping of input → range).</summary>
    public static readonly string[] WorkflowRange = ["min", "max"];

    public static readonly string[] WorkflowText = ["field", "min_length", "max_length", "script"];

    public static readonly string[] WorkflowOutput = ["checks", "format", "on_failure"];

    public static readonly string[] WorkflowFormat = ["json_schema", "labels"];

    public static readonly string[] WorkflowRetry = ["max_attempts", "add_to_prompt", "then"];

    public static readonly string[] WorkflowEscalate = ["reason", "priority"];

    public static readonly string[] EscalatePriorities = ["low", "normal", "high", "urgent"];

    public static readonly IReadOnlyList<string> Scripts = global::Overlap.Core.Workflow.TextScripts.Names;

    public static readonly IReadOnlyList<string> DriftTests = global::Overlap.Core.Drift.DriftTests.Words;

    /// <summary>Each mapping's path in the contract (dots; [] for a list item) and its keys; owners, drift.columns, privacy.fields and workflow.input's ranges and categories are free-form.</summary>
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
        new("usage", Usage),
        new("drift", Drift),
        new("checks[]", Check),
        new("rubric[]", Rubric),
        new("rubric[].examples", RubricExamples),
        new("judges", Judges),
        new("judges.people", JudgesPeople),
        new("judges.model", JudgesModel),
        new("experiments[]", Experiment),
        new("experiments[].primary[]", ExperimentMetric),
        new("experiments[].guardrails[]", ExperimentMetric),
        new("fairness", Fairness),
        new("fairness.requirements[]", FairnessRequirement),
        new("privacy", Privacy),
        new("workflow", Workflow),
        new("workflow.input", WorkflowInput),
        new("workflow.input.text", WorkflowText),
        new("workflow.output", WorkflowOutput),
        new("workflow.output.format", WorkflowFormat),
        new("workflow.retry", WorkflowRetry),
        new("workflow.escalate", WorkflowEscalate),
    ];
}
