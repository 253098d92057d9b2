using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Overlap.Core.Generative;
using Overlap.Core.Metrics;
using Overlap.Core.Planning;
using static Overlap.Core.Statements.Phrasing;

namespace Overlap.Core.Contracts;

/// <summary>
/// Every metric a contract may use, each declared once (<see cref="MetricInfo"/>), in report order. The engines'
/// name lists and bootstrap slots, the planner, the phrasing and the docs' tables are all derived from it; adding a
/// metric means a declaration here, its computation, and its test (<c>MetricCatalogTests</c> checks every derived place).
/// </summary>
public static partial class MetricCatalog
{
    private static readonly TaskKind[] Binary = [TaskKind.Binary];
    private static readonly TaskKind[] Multiclass = [TaskKind.Multiclass];
    private static readonly TaskKind[] Classification = [TaskKind.Binary, TaskKind.Multiclass];
    private static readonly TaskKind[] Regression = [TaskKind.Regression];
    private static readonly TaskKind[] Any =
    [
        TaskKind.Binary,
        TaskKind.Multiclass,
        TaskKind.Regression,
        TaskKind.Generative,
    ];
    private static readonly TaskKind[] Generative = [TaskKind.Generative];

    /// <summary>The stand-in for a check's or criterion's name in the pattern metrics (<c>check.&lt;name&gt;.pass_rate</c>).</summary>
    public const string NamePlaceholder = "<name>";

    private static readonly MetricInfo[] Declared =
    [
        new(BinaryMetricNames.Accuracy, Classification, "share of decisions that are right")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Wilson,
            Bounded = true,
            Basis = PlanBasis.Examples,
            Successes = c => c.Tp + c.Tn,
            Promise = (w, atLeast, bar) => $"decide {atLeast} {bar} of {Plural(w.Example)} correctly",
            Result = (w, v) => $"decides {Frequency(v)} {Plural(w.Example)} correctly",
        },
        new(BinaryMetricNames.Precision, Binary, "share of flagged cases that are truly positive")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Wilson,
            Bounded = true,
            Basis = PlanBasis.Flagged,
            Successes = c => c.Tp,
            Pass = WeightedPass.Precision,
            PairedOrder = 6,
            Undefined = (w, these) => $"none of {these} was {w.Action}",
            Promise = (w, atLeast, bar) =>
                $"of the {Plural(w.Example)} {w.Action}, {atLeast} {bar} must really be {Plural(w.Positive)}",
            Result = (w, v) =>
                $"of every 100 {Plural(w.Example)} {w.Action}, {Math.Round(v * 100).ToString("0", CultureInfo.InvariantCulture)} really are {Plural(w.Positive)}",
        },
        new(BinaryMetricNames.Recall, Binary, "share of positive cases that are caught")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Wilson,
            Bounded = true,
            Basis = PlanBasis.Positives,
            Successes = c => c.Tp,
            Pass = WeightedPass.Recall,
            PairedOrder = 5,
            Undefined = NoPositive,
            Promise = (w, atLeast, bar) => $"catch {atLeast} {bar} of {Plural(w.Positive)}",
            Result = (w, v) => $"catches {Frequency(v)} {Plural(w.Positive)}",
        },
        new(BinaryMetricNames.Specificity, Binary, "share of negative cases left alone")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Wilson,
            Bounded = true,
            Basis = PlanBasis.Negatives,
            Successes = c => c.Tn,
            Undefined = NoNegative,
            Promise = (w, atLeast, bar) => $"leave {atLeast} {bar} of {Plural(w.Negative)} alone",
            Result = (w, v) => $"leaves {Frequency(v)} {Plural(w.Negative)} alone",
        },
        new(BinaryMetricNames.FalsePositiveRate, Binary, "share of negative cases wrongly flagged")
        {
            Interval = MetricInterval.Wilson,
            Bounded = true,
            Basis = PlanBasis.Negatives,
            Successes = c => c.Fp,
            Pass = WeightedPass.FalsePositiveRate,
            PairedOrder = 7,
            Undefined = NoNegative,
            Promise = (w, atLeast, bar) => $"{atLeast} {bar} of {Plural(w.Negative)} may be {w.Action} by mistake",
            Result = (w, v) => $"{Frequency(v)} {Plural(w.Negative)} {(v < 0.2 ? "is" : "are")} {w.Action} by mistake",
        },
        new(BinaryMetricNames.FalseNegativeRate, Binary, "share of positive cases missed")
        {
            Interval = MetricInterval.Wilson,
            Bounded = true,
            Basis = PlanBasis.Positives,
            Successes = c => c.Fn,
            Undefined = NoPositive,
            Promise = (w, atLeast, bar) => $"miss {atLeast} {bar} of {Plural(w.Positive)}",
            Result = (w, v) => $"misses {Frequency(v)} {Plural(w.Positive)}",
        },
        new(BinaryMetricNames.PositiveRate, Binary, "share of all cases flagged")
        {
            HigherIsBetter = true,
            HasDirection = false,
            Interval = MetricInterval.Wilson,
            Bounded = true,
            Basis = PlanBasis.Examples,
            Successes = c => c.Tp + c.Fp,
            Promise = (w, atLeast, bar) => $"{atLeast} {bar} of all {Plural(w.Example)} may be {w.Action}",
            Result = (w, v) => $"{Frequency(v)} {Plural(w.Example)} {(v < 0.2 ? "is" : "are")} {w.Action}",
        },
        new(BinaryMetricNames.F1, Binary, "harmonic mean of precision and recall")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
            ProseName = "F1",
            Pass = WeightedPass.F1,
            PairedOrder = 4,
            Undefined = (w, these) => $"nothing among {these} was both {w.Positive} and {w.Action}",
        },
        new(BinaryMetricNames.RocAuc, Binary, "chance a positive case scores above a negative one")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
            NeedsScore = true,
            ProseName = "ROC AUC",
            Pass = WeightedPass.RocAuc,
            PairedOrder = 0,
            Undefined = (w, these) =>
                $"{these} are all of one kind ({Plural(w.Positive)} or {Plural(w.Negative)} only)",
        },
        new(BinaryMetricNames.PrAuc, Binary, "average precision over all thresholds")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
            NeedsScore = true,
            ProseName = "PR AUC",
            Pass = WeightedPass.PrAuc,
            PairedOrder = 1,
            Undefined = NoPositive,
        },
        new(BinaryMetricNames.Brier, Binary, "mean squared error of the score")
        {
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
            NeedsScore = true,
            Pass = WeightedPass.BrierScore,
            PairedOrder = 2,
        },
        new(BinaryMetricNames.LogLoss, Binary, "mean negative log-likelihood of the score")
        {
            Interval = MetricInterval.Bootstrap,
            NeedsScore = true,
            Pass = WeightedPass.LogLoss,
            PairedOrder = 3,
        },
        new(BinaryMetricNames.Ece, Binary, "expected calibration error of the score")
        {
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
            NeedsScore = true,
            ProseName = "calibration error (ECE)",
            Pass = WeightedPass.Ece,
        },
        new(MulticlassMetricNames.MacroF1, Multiclass, "F1 averaged over classes")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
        },
        new(MulticlassMetricNames.WeightedF1, Multiclass, "F1 averaged over classes, weighted by support")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
        },
        new(MulticlassMetricNames.MacroPrecision, Multiclass, "precision averaged over classes")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
        },
        new(MulticlassMetricNames.MacroRecall, Multiclass, "recall averaged over classes")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            Bounded = true,
        },
        new(RegressionMetricNames.Mae, Regression, "mean absolute error")
        {
            Interval = MetricInterval.Bootstrap,
            ProseName = "mean absolute error",
        },
        new(RegressionMetricNames.Rmse, Regression, "root mean squared error")
        {
            Interval = MetricInterval.Bootstrap,
            ProseName = "RMSE",
        },
        new(RegressionMetricNames.R2, Regression, "share of variance explained")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            ProseName = "R²",
            Undefined = (_, these) => $"every outcome among {these} is the same",
        },
        new(RegressionMetricNames.Mape, Regression, "mean absolute percentage error, as a fraction")
        {
            Interval = MetricInterval.Bootstrap,
            ProseName = "mean absolute percentage error",
            Undefined = (_, these) => $"an outcome among {these} is 0, and a percentage of 0 has no meaning",
        },
        new(RegressionMetricNames.MedianAe, Regression, "median absolute error")
        {
            Interval = MetricInterval.Bootstrap,
            ProseName = "median absolute error",
        },
        Latency("latency_p50_ms", 0.50, "median latency in milliseconds", "half"),
        Latency("latency_p95_ms", 0.95, "95th percentile latency in milliseconds", "95%"),
        Latency("latency_p99_ms", 0.99, "99th percentile latency in milliseconds", "99%"),
        new("cost_per_1000", Any, "cost of 1,000 predictions")
        {
            Interval = MetricInterval.Production,
            ProductionOnly = true,
            Promise = (_, atLeast, bar) => $"cost {atLeast} {bar} per 1,000 predictions",
        },
        GenerativeRate(
            "acceptable_rate",
            "share of outputs that pass every check and criterion 'acceptable' names",
            "acceptable rate",
            "be acceptable",
            "are acceptable"
        ),
        CheckRate(NamePlaceholder),
        CriterionRate(NamePlaceholder),
        CriterionMean(NamePlaceholder),
        Feedback("regeneration_rate", "share of outputs the user asked to regenerate", "regenerated"),
        Feedback("edit_rate", "share of outputs the user edited before using", "edited"),
        Feedback("thumbs_down_rate", "share of outputs given a thumbs-down", "given a thumbs-down"),
        new("tokens_per_output", Generative, "mean tokens used per output")
        {
            Interval = MetricInterval.Bootstrap,
            ProseName = "tokens per output",
            Undefined = (w, _) => $"no {w.Output} among these {Plural(w.Output)} has a token count",
            Result = (w, v) => $"a {w.Output} uses {Number(v)} tokens on average",
        },
        WorkflowRate(
            "retry_rate",
            "share of guarded calls whose first answer failed a check and was asked again",
            c => (c.Retried, c.Guarded),
            "need a second try",
            "needed a second try"
        ),
        WorkflowRate(
            "fallback_rate",
            "share of guarded calls answered by the contract's fallback instead of the model",
            c => (c.Route(Overlap.Events.WorkflowRoutes.Fallback), c.Guarded),
            "fall back to the alternative",
            "fell back to the alternative"
        ),
        WorkflowRate(
            "escalation_rate",
            "share of guarded calls escalated to the review queue",
            c => (c.Route(Overlap.Events.WorkflowRoutes.Escalate), c.Guarded),
            "go to a person",
            "went to a person"
        ),
        WorkflowRate(
            "abstention_rate",
            "share of guarded calls whose score fell in the uncertain band and went to a person",
            c => (c.Route(Overlap.Events.WorkflowRoutes.Abstain), c.Guarded),
            "be left to a person",
            "were left to a person"
        ),
        WorkflowRate(
            "rejection_rate",
            "share of guarded calls refused because the input failed the contract's expectations",
            c => (c.Route(Overlap.Events.WorkflowRoutes.Reject), c.Guarded),
            "be refused for their input",
            "were refused for their input"
        ),
        WorkflowRate(
            "passed_after_retry_rate",
            "share of answered outputs (direct or retried) that passed only after a retry",
            c => (c.Route(Overlap.Events.WorkflowRoutes.Retry), c.Answered),
            "pass only after a retry",
            "passed only after a retry",
            answered: true
        ),
        new("attempts_per_call", Any, "mean times the model was asked per guarded call")
        {
            Interval = MetricInterval.Production,
            ProductionOnly = true,
            OnWorkflow = true,
            ProseName = "attempts per call",
            Undefined = (w, _) => $"no {Guarded(w)} went through the contract's guard",
            Promise = (w, atLeast, bar) => $"{Plural(Guarded(w))} must take {atLeast} {bar} attempts on average",
            Result = (w, v) => $"a {Guarded(w)} takes {Number(v)} attempts on average",
        },
        UserRate(
            "activation_rate",
            "share of new users who use the feature again on a later day within usage.activation_within",
            "come back within their first days"
        ),
        UserRate(
            "retention_rate",
            "share of a week's new users who use the feature in the following week",
            "use it again the week after they start"
        ),
    ];

    private static readonly Dictionary<string, MetricInfo> ByName = Declared.ToDictionary(
        m => m.Name,
        StringComparer.Ordinal
    );

    /// <summary>All known metrics, in report order.</summary>
    public static IReadOnlyList<MetricInfo> All => Declared;

    private static readonly ConcurrentDictionary<string, MetricInfo?> ByTarget = new(StringComparer.Ordinal);

    /// <summary>
    /// The metric with this name, or null. A generative metric on a named check or criterion
    /// (<c>check.no_refund_promise.pass_rate</c>) gets its own declaration, with the name in its words.
    /// </summary>
    public static MetricInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ByName.TryGetValue(name, out var info) ? info
            : Target(name) is not { } t ? null
            : ByTarget.GetOrAdd(
                name,
                static (_, t) =>
                    (t.Kind, t.Statistic) switch
                    {
                        ("check", _) => CheckRate(t.Name),
                        (_, "pass_rate") => CriterionRate(t.Name),
                        _ => CriterionMean(t.Name),
                    },
                t
            );
    }

    /// <summary>
    /// For a generative metric on a named check or criterion, its parts (<c>check</c> or <c>rubric</c>, the name,
    /// <c>pass_rate</c> or <c>mean</c>); null for every other name.
    /// </summary>
    public static (string Kind, string Name, string Statistic)? Target(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var match = TargetPattern().Match(metric);
        if (!match.Success || match.Groups[2].Value == NamePlaceholder)
        {
            return null;
        }
        var (kind, stat) = (match.Groups[1].Value, match.Groups[3].Value);
        return kind == "check" && stat == "mean" ? null : (kind, match.Groups[2].Value, stat);
    }

    /// <summary>The metric names a generative contract may use, with its checks' and criteria's names filled in.</summary>
    public static IEnumerable<string> NamesFor(GenerativeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var m in Declared.Where(m => m.Fits(TaskKind.Generative)))
        {
            if (!m.Name.Contains(NamePlaceholder, StringComparison.Ordinal))
            {
                yield return m.Name;
                continue;
            }
            var names = m.Name.StartsWith("check.", StringComparison.Ordinal)
                ? spec.Checks.Select(c => c.Name)
                : spec
                    .Rubric.Where(r =>
                        r.Scale == RubricScale.OneToFive || m.Name.EndsWith("pass_rate", StringComparison.Ordinal)
                    )
                    .Select(r => r.Name);
            foreach (var n in names)
            {
                yield return m.Name.Replace(NamePlaceholder, n, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The names that fit a task, for messages.</summary>
    public static IEnumerable<string> NamesFor(TaskKind task) => Declared.Where(m => m.Fits(task)).Select(m => m.Name);

    /// <summary>The metrics judged on labelled examples of a task with the given interval, in report order.</summary>
    internal static IReadOnlyList<string> Judged(TaskKind task, MetricInterval interval) =>
        [.. Declared.Where(m => m.Fits(task) && m.Interval == interval && !m.ProductionOnly).Select(m => m.Name)];

    private static MetricInfo GenerativeRate(
        string name,
        string description,
        string prose,
        string promise,
        string result
    ) =>
        new(name, Generative, description)
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Wilson,
            Bounded = true,
            ProseName = prose,
            Undefined = (w, _) => $"no {w.Output} among these {Plural(w.Output)} has every grade it needs",
            Promise = (w, atLeast, bar) => $"{atLeast} {bar} of {Plural(w.Output)} must {promise}",
            Result = (w, v) => $"{Frequency(v)} {Plural(w.Output)} {result}",
        };

    private static MetricInfo CheckRate(string check) =>
        GenerativeRate(
            $"check.{check}.pass_rate",
            "share of outputs that pass the check",
            $"pass rate of check {check}",
            $"pass the check {check}",
            $"pass the check {check}"
        );

    private static MetricInfo CriterionRate(string criterion) =>
        GenerativeRate(
            $"rubric.{criterion}.pass_rate",
            "share of graded outputs that pass the rubric criterion",
            $"pass rate of {criterion}",
            $"pass on {criterion}",
            $"pass on {criterion}"
        );

    private static MetricInfo CriterionMean(string criterion) =>
        new($"rubric.{criterion}.mean", Generative, "mean grade on a 1-5 rubric criterion")
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Bootstrap,
            ProseName = $"mean grade on {criterion}",
            Undefined = (w, _) => $"no {w.Output} among these {Plural(w.Output)} is graded on {criterion}",
            Promise = (w, atLeast, bar) => $"{Plural(w.Output)} must average {atLeast} {bar} out of 5 on {criterion}",
            Result = (w, v) => $"{Plural(w.Output)} average {Number(v)} out of 5 on {criterion}",
        };

    private static MetricInfo Feedback(string name, string description, string done) =>
        new(name, Generative, description)
        {
            Interval = MetricInterval.Production,
            ProductionOnly = true,
            Bounded = true,
            Undefined = (w, _) => $"no feedback on these {Plural(w.Output)}",
            Promise = (w, atLeast, bar) => $"{atLeast} {bar} of {Plural(w.Output)} may be {done}",
            Result = (w, v) => $"{Frequency(v)} {Plural(w.Output)} {(v < 0.2 ? "is" : "are")} {done}",
        };

    /// <summary>
    /// What a guarded call is called in statements: a generative feature's output word ("draft") when the contract
    /// names one, else its example word ("email").
    /// </summary>
    public static string Guarded(ContractWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Output != DefaultWords.Output ? words.Output : words.Example;
    }

    private static readonly ContractWords DefaultWords = new();

    private static MetricInfo WorkflowRate(
        string name,
        string description,
        Func<Monitoring.WorkflowCounts, (long, long)> share,
        string promise,
        string result,
        bool answered = false
    )
    {
        var among = answered ? "answered " : "";
        return new(name, Any, description)
        {
            Interval = MetricInterval.Wilson,
            ProductionOnly = true,
            OnWorkflow = true,
            Bounded = true,
            WorkflowShare = share,
            Undefined = (w, _) =>
                answered
                    ? $"no {Guarded(w)} that went through the contract's guard was answered by the model"
                    : $"no {Guarded(w)} went through the contract's guard",
            Promise = (w, atLeast, bar) => $"{atLeast} {bar} of {among}{Plural(Guarded(w))} may {promise}",
            Result = (w, v) => $"{Frequency(v)} {among}{Plural(Guarded(w))} {result}",
        };
    }

    private static MetricInfo UserRate(string name, string description, string done) =>
        new(name, Any, description)
        {
            HigherIsBetter = true,
            Interval = MetricInterval.Wilson,
            ProductionOnly = true,
            OnUsers = true,
            Bounded = true,
            Undefined = (_, _) => "no new user has been seen long enough to tell",
            Promise = (_, atLeast, bar) => $"{atLeast} {bar} of new users must {done}",
            Result = (_, v) => $"{Frequency(v)} new users {done}",
        };

    [GeneratedRegex(@"^(check|rubric)\.([A-Za-z0-9_<>-]+)\.(pass_rate|mean)$")]
    private static partial Regex TargetPattern();

    private static MetricInfo Latency(string name, double quantile, string description, string share) =>
        new(name, Any, description)
        {
            // "latency p95": the unit follows each figure ("200 ms"), not the name.
            ProseName = name.Replace("_ms", "", StringComparison.Ordinal).Replace('_', ' '),
            Interval = MetricInterval.Production,
            ProductionOnly = true,
            Unit = "ms",
            LatencyQuantile = quantile,
            Promise = (_, _, bar) => $"answer {share} of requests within {bar} ms",
            Result = (_, v) => $"{share} of requests are answered within {Number(Math.Round(v))} ms",
        };

    private static string NoPositive(ContractWords words, string these) => $"no {words.Positive} among {these}";

    private static string NoNegative(ContractWords words, string these) => $"no {words.Negative} among {these}";
}
