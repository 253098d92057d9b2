using System.Globalization;
using System.Text.RegularExpressions;
using Overlap.Core.Drift;
using Overlap.Core.Generative;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Contracts;

/// <summary>
/// Parses and validates <c>overlap.yaml</c> (YAML or JSON text). Every refusal is a
/// <see cref="ContractException"/> naming the file, the line and what to write instead.
/// </summary>
public static partial class ContractParser
{
    /// <summary>Parses contract text; <paramref name="source"/> is the file name used in errors.</summary>
    /// <exception cref="ContractException">The contract is not valid.</exception>
    public static Contract Parse(string text, string source = "overlap.yaml")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ContractException(
                source,
                0,
                "the contract is empty; start from the example in docs/contract.md, or draft one from scored examples"
            );
        }
        var stream = new YamlStream();
        var parser = new BoundedYamlParser(text);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw SyntaxError(source, parser, e.Start, e.InnerException?.Message ?? e.Message);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this, without a place, on some unfinished flow collections: the place is where it stopped.
            throw SyntaxError(source, parser, parser.LastEnd, e.Message);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ContractException(
                source,
                1,
                "the contract must be a mapping of keys such as 'feature:', 'task:' and 'requirements:'"
            );
        }
        return Read(new YamlMap(root, source, "the contract", ContractKeys.TopLevel));
    }

    /// <summary>A YAML syntax error at its line and column, saying what to write: closing an open <c>{</c> or <c>[</c> when one is.</summary>
    private static ContractException SyntaxError(string source, BoundedYamlParser parser, Mark at, string reason)
    {
        var cut = reason.IndexOf("): ", StringComparison.Ordinal);
        reason = (cut > 0 ? reason[(cut + 3)..] : reason).TrimEnd('.');
        var (line, column) = ((int)Math.Max(at.Line, 1), (int)Math.Max(at.Column, 1));
        if (reason.Contains("nested more than", StringComparison.Ordinal))
        {
            return new ContractException(source, line, column, reason);
        }
        if (parser.OpenFlow is { } open)
        {
            var (opener, closer) = open is YamlDotNet.Core.Events.MappingStart ? ('{', '}') : ('[', ']');
            return new ContractException(
                source,
                line,
                column,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"not valid YAML: the '{opener}' opened at line {open.Start.Line}, column {open.Start.Column} is not closed; end it with '{closer}' and put ',' between its entries"
                )
            );
        }
        return new ContractException(
            source,
            line,
            column,
            $"not valid YAML: {reason}; check the indentation and that every 'key: value' has a space after the colon"
        );
    }

    // Each section is read on its own, so every refusal is reported at once; what depends on the task or the
    // columns is checked only when those could be read (otherwise its errors would be guesses).
    private static Contract Read(YamlMap map)
    {
        var errors = new ContractErrors();
        var feature = errors.Try(() => ReadFeature(map), string.Empty);
        var task = errors.Try(() => ReadTask(map), null);
        var description = errors.Try(() => map.String("description"), null);
        var owners = errors.Try(() => ReadOwners(map), new Dictionary<string, string>(StringComparer.Ordinal));
        var labels = new ContractLabels();
        ContractColumns? columns = null;
        var (threshold, optimize) = (0.5, false);
        if (task is { } t)
        {
            labels = errors.Try(() => ReadLabels(map, t), labels);
            columns = errors.Try<ContractColumns?>(() => ReadColumns(map, t), null);
            (threshold, optimize) = errors.Try(() => ReadThreshold(map, t), (threshold, optimize));
        }
        var costs = errors.Try(() => ReadCosts(map), new ContractCosts());
        var words = errors.Try(() => ReadWords(map), new ContractWords());
        var confidence = errors.Try(() => ReadConfidence(map), 0.95);
        var generative = task is { } g ? ReadGenerative(map, g, errors) : null;
        var requirements = task is { } kind ? ReadRequirements(map, kind, columns, generative, errors) : [];
        var monitoring = errors.Try(() => ReadMonitoring(map), null);
        var review = task is { } reviewTask ? errors.Try(() => ReadReview(map, reviewTask, generative), null) : null;
        var drift = errors.Try(() => ReadDrift(map), new DriftPolicy());
        var usage = errors.Try(() => ReadUsage(map), null);
        errors.Try(() => CheckUserMetrics(map, requirements, usage));
        IReadOnlyList<ExperimentSpec> experiments = task is { } experimentTask
            ? errors.Try(() => ReadExperiments(map, experimentTask), [])
            : [];
        var fairness = task is { } fairnessTask
            ? errors.Try(() => ReadFairness(map, fairnessTask, columns), null)
            : null;
        var privacy = errors.Try(() => ReadPrivacy(map), null);
        var workflow = task is { } workflowTask
            ? errors.Try(() => ReadWorkflow(map, workflowTask, columns, generative, review), null)
            : null;
        if (task is null)
        {
            // Unread for want of a task, but known keys: not "unknown key" errors.
            foreach (
                var key in (string[])
                    [
                        "labels",
                        "columns",
                        "threshold",
                        "requirements",
                        "review",
                        "checks",
                        "rubric",
                        "acceptable",
                        "judges",
                        "experiments",
                        "fairness",
                        "workflow",
                    ]
            )
            {
                map.Take(key);
            }
        }
        errors.Try(map.Finish);
        errors.ThrowIfAny();
        return new Contract
        {
            Feature = feature,
            Description = description,
            Owners = owners,
            Task = task!.Value,
            Labels = labels,
            Columns = columns!,
            Threshold = threshold,
            OptimizeThreshold = optimize,
            Costs = costs,
            Words = words,
            Confidence = confidence,
            Requirements = requirements,
            Monitoring = monitoring,
            Review = review,
            Drift = drift,
            Generative = generative,
            Experiments = experiments,
            Fairness = fairness,
            Usage = usage,
            Privacy = privacy,
            Workflow = workflow,
        };
    }

    private static string ReadFeature(YamlMap map)
    {
        var featureNode = map.Require("feature", "feature: spam-filter");
        var feature = map.Scalar(featureNode, "feature");
        return SlugPattern().IsMatch(feature)
            ? feature
            : throw map.Error(
                featureNode,
                $"'feature' is '{feature}'; use lowercase letters, digits and dashes, such as spam-filter"
            );
    }

    private static TaskKind? ReadTask(YamlMap map)
    {
        var taskNode = map.Require("task", "task: binary");
        var text = map.Scalar(taskNode, "task");
        return TaskFrom(text)
            ?? throw map.Error(taskNode, $"'task' is '{text}'; write binary, multiclass, regression or generative");
    }

    /// <summary>The task a contract's <c>task:</c> value names, or null.</summary>
    public static TaskKind? TaskFrom(string text) =>
        text switch
        {
            "binary" => TaskKind.Binary,
            "multiclass" => TaskKind.Multiclass,
            "regression" => TaskKind.Regression,
            "generative" => TaskKind.Generative,
            _ => null,
        };

    private static double ReadConfidence(YamlMap map)
    {
        var confidence = map.Number("confidence", 0.5, 0.9999, "write a confidence such as 0.95") ?? 0.95;
        return confidence > 0.5 ? confidence : throw map.Error("'confidence' must be above 0.5, such as 0.95");
    }

    private static Dictionary<string, string> ReadOwners(YamlMap map)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var m = map.Map("owners");
        if (m is not null)
        {
            foreach (var (key, value) in m.Entries())
            {
                owners[key] = m.Scalar(value, key);
            }
        }
        return owners;
    }

    private static ContractLabels ReadLabels(YamlMap map, TaskKind task)
    {
        if (task is TaskKind.Regression or TaskKind.Generative)
        {
            if (map.Take("labels") is { } node)
            {
                throw map.Error(
                    node,
                    task == TaskKind.Regression
                        ? "a regression contract has no 'labels'; remove the key (the label column holds the true number)"
                        : "a generative contract has no 'labels'; remove the key (outputs are judged by 'checks' and 'rubric')"
                );
            }
            return new ContractLabels();
        }
        if (task == TaskKind.Multiclass)
        {
            var node = map.Require("labels", "labels: { classes: [billing, technical, sales] }");
            IReadOnlyList<string>? classes;
            if (node is YamlSequenceNode)
            {
                classes = map.Strings("labels");
            }
            else
            {
                var m = map.Map("labels", ContractKeys.Labels)!;
                classes = m.Strings("classes")
                    ?? throw m.Error("'labels' needs 'classes', such as classes: [billing, technical, sales]");
                m.Finish();
            }
            if (classes!.Count < 2 || classes.Distinct(StringComparer.Ordinal).Count() != classes.Count)
            {
                throw map.Error(node, "a multiclass contract needs at least two distinct classes in 'labels.classes'");
            }
            return new ContractLabels { Classes = classes };
        }
        var labelsNode = map.Require("labels", "labels: { positive: spam, negative: ham }");
        var lm = map.Map("labels", ContractKeys.Labels)!;
        var positive = lm.String("positive")
            ?? throw map.Error(
                labelsNode,
                "'labels' needs 'positive', the label value of the case the model should catch, such as positive: spam"
            );
        var negative = lm.String("negative")
            ?? throw map.Error(
                labelsNode,
                "'labels' needs 'negative', the label value of the other case, such as negative: ham"
            );
        lm.Finish();
        if (positive == negative)
        {
            throw map.Error(
                labelsNode,
                $"'labels.positive' and 'labels.negative' are both '{positive}'; they must differ"
            );
        }
        return new ContractLabels { Positive = positive, Negative = negative };
    }

    private static ContractColumns ReadColumns(YamlMap map, TaskKind task)
    {
        if (task == TaskKind.Generative)
        {
            return ReadGenerativeColumns(map);
        }
        var node = map.Require("columns", "columns: { label: is_spam, score: p_spam }");
        var m = map.Map("columns", ContractKeys.Columns)!;
        RefuseGenerativeColumns(m);
        var label = m.String("label")
            ?? throw map.Error(node, "'columns' needs 'label', the column with the true outcome");
        var score = m.String("score");
        var prediction = m.String("prediction");
        if (task == TaskKind.Binary && score is null && prediction is null)
        {
            throw map.Error(
                node,
                "a binary contract needs 'columns.score' (the probability of the positive label) or 'columns.prediction'"
            );
        }
        if (task != TaskKind.Binary && prediction is null)
        {
            throw map.Error(
                node,
                $"a {task.ToString().ToLowerInvariant()} contract needs 'columns.prediction', the column with the model's output"
            );
        }
        var columns = new ContractColumns
        {
            Id = m.String("id"),
            Time = m.String("time"),
            Label = label,
            Score = score,
            Prediction = prediction,
            LatencyMs = m.String("latency_ms"),
            Segments = m.Strings("segments") ?? [],
            Features = m.Strings("features"),
        };
        m.Finish();
        return columns;
    }

    private static (double Threshold, bool Optimize) ReadThreshold(YamlMap map, TaskKind task)
    {
        var node = map.Take("threshold");
        if (node is null)
        {
            return (0.5, false);
        }
        if (task != TaskKind.Binary)
        {
            throw map.Error(node, "'threshold' applies to binary contracts only; remove it");
        }
        return map.Scalar(node, "threshold") == "optimize"
            ? (0.5, true)
            : (map.Number(node, "threshold", 0, 1, "write a score between 0 and 1, or 'optimize'"), false);
    }

    private static ContractCosts ReadCosts(YamlMap map)
    {
        var m = map.Map("costs", ContractKeys.Costs);
        if (m is null)
        {
            return new ContractCosts();
        }
        var costs = new ContractCosts
        {
            FalsePositive = m.Number("false_positive", 0, double.MaxValue, "a cost is zero or more") ?? 1,
            FalseNegative = m.Number("false_negative", 0, double.MaxValue, "a cost is zero or more") ?? 1,
            Currency = m.String("currency") ?? "units",
            Given = true,
        };
        m.Finish();
        return costs;
    }

    private static ContractWords ReadWords(YamlMap map)
    {
        var m = map.Map("words", ContractKeys.Words);
        if (m is null)
        {
            return new ContractWords();
        }
        var defaults = new ContractWords();
        var words = new ContractWords
        {
            Positive = m.String("positive") ?? defaults.Positive,
            Negative = m.String("negative") ?? defaults.Negative,
            Action = m.String("action") ?? defaults.Action,
            Example = m.String("example") ?? defaults.Example,
            Output = m.String("output") ?? defaults.Output,
        };
        m.Finish();
        return words;
    }

    // Each requirement is checked on its own; with the columns unreadable, the checks against them are left out.
    private static List<Requirement> ReadRequirements(
        YamlMap map,
        TaskKind task,
        ContractColumns? columns,
        GenerativeSpec? generative,
        ContractErrors errors
    )
    {
        var seq = errors.Try(() => map.Sequence("requirements"), null);
        var list = new List<Requirement>();
        if (seq is null)
        {
            return list;
        }
        foreach (var item in seq.Children)
        {
            if (
                errors.Try<Requirement?>(() => ReadRequirement(map, item, task, columns, generative), null) is
                { } requirement
            )
            {
                list.Add(requirement);
            }
        }
        return list;
    }

    private static Requirement ReadRequirement(
        YamlMap map,
        YamlNode item,
        TaskKind task,
        ContractColumns? columns,
        GenerativeSpec? generative
    )
    {
        if (item is not YamlMappingNode node)
        {
            throw map.Error(item, "each requirement is a mapping such as { metric: recall, min: 0.9 }");
        }
        var m = new YamlMap(node, ErrorSource(map), "a requirement", ContractKeys.Requirement);
        var metricNode = m.Require("metric", "{ metric: recall, min: 0.9 }");
        var metric = m.Scalar(metricNode, "metric");
        var info = MetricCatalog.Find(metric);
        if (info is null)
        {
            var names = MetricNames(task, generative);
            var near = Text.Suggestions.Nearest(metric, names.Concat(MetricCatalog.All.Select(x => x.Name)));
            throw m.Error(
                metricNode,
                $"unknown metric '{metric}'; {(near is null ? "use one of: " + string.Join(", ", names) : $"did you mean '{near}'?")}"
            );
        }
        if (info.Tasks.Contains(task) && generative is not null)
        {
            CheckGenerativeMetric(m, metricNode, metric, generative);
        }
        if (!info.Tasks.Contains(task))
        {
            throw m.Error(
                metricNode,
                $"'{metric}' does not fit a {task.ToString().ToLowerInvariant()} task; use one of: {string.Join(", ", MetricNames(task, generative))}"
            );
        }
        if (info.NeedsScore && columns is { Score: null })
        {
            throw m.Error(
                metricNode,
                $"'{metric}' needs the model's score; add 'columns.score' or drop the requirement"
            );
        }
        var upper = info.Bounded ? 1.0 : double.MaxValue;
        var lower = info.Name == "r2" ? double.MinValue : 0;
        var bounds = new List<(Bound Bound, double Value)>();
        if (m.Number("min", lower, upper, info.Bounded ? "this metric lies between 0 and 1" : null) is { } min)
        {
            bounds.Add((Bound.Min, min));
        }
        if (m.Number("max", lower, upper, info.Bounded ? "this metric lies between 0 and 1" : null) is { } max)
        {
            bounds.Add((Bound.Max, max));
        }
        if (m.Number("max_gap", 0, upper, "a gap is zero or more") is { } gap)
        {
            bounds.Add((Bound.MaxGap, gap));
        }
        var by = m.String("by");
        m.Take("description");
        m.Finish();
        if (bounds.Count != 1)
        {
            throw m.Error(
                $"a requirement has exactly one of 'min', 'max' or 'max_gap'; this one has {(bounds.Count == 0 ? "none" : string.Join(" and ", bounds.Select(b => b.Bound.ToString().ToLowerInvariant())))}; write one requirement per bar"
            );
        }
        if (bounds[0].Bound == Bound.MaxGap && by is null)
        {
            throw m.Error("'max_gap' compares segments with the overall figure, so it needs 'by: <segment column>'");
        }
        if (by is not null && columns is not null && !columns.Segments.Contains(by) && by != columns.Tags)
        {
            throw m.Error(
                $"'by: {by}' names a column that is not in 'columns.segments'; add it there, such as segments: [{string.Join(", ", columns.Segments.Append(by))}]"
            );
        }
        return new Requirement
        {
            Metric = metric,
            Bound = bounds[0].Bound,
            Value = bounds[0].Value,
            By = by,
            Line = m.Line,
        };
    }

    private static MonitoringPolicy? ReadMonitoring(YamlMap map)
    {
        var m = map.Map("monitoring", ContractKeys.Monitoring);
        if (m is null)
        {
            return null;
        }
        var window = m.Duration("window") ?? TimeSpan.FromDays(1);
        ReferencePeriod? reference = null;
        if (m.Map("reference", ContractKeys.Reference) is { } r)
        {
            reference = new ReferencePeriod(Date(r, "from"), Date(r, "to"), r.String("data"));
            r.Finish();
            if (reference.Data is null && (reference.From is null || reference.To is null))
            {
                throw r.Error("'reference' needs 'from' and 'to' dates (2002-07-01) or 'data: reference.csv'");
            }
            if (reference.From >= reference.To)
            {
                throw r.Error("'reference.from' must come before 'reference.to'");
            }
        }
        RetrainPolicy? retrain = null;
        if (m.Map("retrain_when", ContractKeys.RetrainWhen) is { } rw)
        {
            retrain = new RetrainPolicy(rw.Integer("failed_windows", 1), rw.Integer("drifted_windows", 1));
            rw.Finish();
        }
        var webhooks = new List<string>();
        if (m.Sequence("alerts") is { } alerts)
        {
            foreach (var a in alerts.Children)
            {
                if (a is not YamlMappingNode an)
                {
                    throw m.Error(
                        a,
                        "each alert is a mapping such as { webhook: \"https://hooks.example.com/overlap\" }"
                    );
                }
                var am = new YamlMap(an, ErrorSource(map), "an alert", ContractKeys.Alert);
                var hook = am.String("webhook") ?? throw am.Error("an alert needs 'webhook: <https address>'");
                if (
                    !Uri.TryCreate(hook, UriKind.Absolute, out var uri)
                    || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                )
                {
                    throw am.Error($"'webhook' must be an http(s) address, not '{hook}'");
                }
                am.Finish();
                webhooks.Add(hook);
            }
        }
        var policy = new MonitoringPolicy
        {
            Window = window,
            Reference = reference,
            MinSamples = m.Integer("min_samples", 1) ?? 200,
            LabelDelay = m.Duration("label_delay"),
            RetrainWhen = retrain,
            AlertWebhooks = webhooks,
        };
        m.Finish();
        return policy;
    }

    private static DateTimeOffset? Date(YamlMap m, string key)
    {
        var node = m.Take(key);
        if (node is null)
        {
            return null;
        }
        var text = m.Scalar(node, key);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw m.Error(node, $"'{key}' must be a date such as 2002-07-01, not '{text}'");
        }
        return value;
    }

    private static ReviewPolicy? ReadReview(YamlMap map, TaskKind task, GenerativeSpec? generative)
    {
        var m = map.Map("review", ContractKeys.Review);
        if (m is null)
        {
            return null;
        }
        var whenNode = m.Take("when");
        var when = whenNode is null ? null : m.Scalar(whenNode, "when");
        var (low, high) = (double.NegativeInfinity, double.PositiveInfinity);
        if (when is not null)
        {
            (low, high) = ParseWhen(when)
                ?? throw m.Error(
                    whenNode!,
                    $"'when' is '{when}'; write a score rule such as \"score between 0.35 and 0.65\", \"score < 0.2\" or \"score >= 0.9\""
                );
            if (task != TaskKind.Binary)
            {
                throw m.Error(
                    whenNode!,
                    "a score rule in 'review.when' needs a binary task with a score; use 'sample' alone for other tasks"
                );
            }
        }
        var sample = m.Number("sample", 0, 1, "a share between 0 and 1, such as 0.02") ?? 0;
        // A generative feature's outputs reach people by judges.people.sample; its review section only adds how they
        // are reviewed (second opinions, escalation, failure categories).
        if (
            task == TaskKind.Generative
            && when is null
            && sample == 0
            && generative?.Judges is not { PeopleSample: > 0 }
        )
        {
            throw m.Error(
                "a generative contract sends outputs to people by 'judges.people.sample', which is not set; add judges: { people: { sample: 0.05 } } (the share of outputs to review)"
            );
        }
        if (task != TaskKind.Generative && when is null && sample == 0)
        {
            throw m.Error("'review' needs 'when' (a score rule) or 'sample' (a random share), or both");
        }
        var policy = new ReviewPolicy
        {
            When = when ?? "random sample only",
            ScoreLow = when is null ? double.PositiveInfinity : low,
            ScoreHigh = when is null ? double.NegativeInfinity : high,
            Sample = sample,
            SecondOpinion = m.Number(
                "second_opinion",
                0,
                1,
                "a share between 0 and 1 of routed cases a second reviewer also decides, such as 0.1"
            ) ?? 0,
            EscalateAfter = m.Duration("escalate_after"),
            FailureCategories = m.Strings("failure_categories") ?? [],
        };
        m.Finish();
        return policy;
    }

    /// <summary>"score between a and b", "score &lt; x", "score &lt;= x", "score &gt; x", "score &gt;= x".</summary>
    internal static (double Low, double High)? ParseWhen(string when)
    {
        var between = BetweenPattern().Match(when);
        if (between.Success)
        {
            return
                TryNumber(between.Groups[1].Value, out var a) && TryNumber(between.Groups[2].Value, out var b) && a <= b
                ? (a, b)
                : null;
        }
        var compare = ComparePattern().Match(when);
        if (!compare.Success)
        {
            return null;
        }
        if (!TryNumber(compare.Groups[2].Value, out var x))
        {
            return null;
        }
        return compare.Groups[1].Value switch
        {
            "<" => (double.NegativeInfinity, Math.BitDecrement(x)),
            "<=" => (double.NegativeInfinity, x),
            ">" => (Math.BitIncrement(x), double.PositiveInfinity),
            _ => (x, double.PositiveInfinity),
        };
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static DriftPolicy ReadDrift(YamlMap map)
    {
        var m = map.Map("drift", ContractKeys.Drift);
        if (m is null)
        {
            return new DriftPolicy();
        }
        var testNode = m.Take("test");
        var test = testNode is null ? null : CheckTest(m, testNode);
        var perColumn = new Dictionary<string, DriftTestKind?>(StringComparer.Ordinal);
        if (m.Map("columns") is { } cm)
        {
            foreach (var (key, value) in cm.Entries())
            {
                perColumn[key] = CheckTest(cm, value);
            }
        }
        var text = m.Strings("text") ?? [];
        m.Finish();
        return new DriftPolicy
        {
            Test = test,
            Columns = perColumn,
            Text = text,
        };
    }

    private static DriftTestKind? CheckTest(YamlMap m, YamlNode node)
    {
        var test = m.Scalar(node, "test");
        return ContractKeys.DriftTests.Contains(test) && DriftTests.TryParse(test, out var kind)
            ? kind
            : throw m.Error(
                node,
                $"unknown drift test '{test}'; use one of: {string.Join(", ", ContractKeys.DriftTests)}"
            );
    }

    private static string ErrorSource(YamlMap map) => map.Error("x").Source;

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^\s*score\s+between\s+([0-9.eE+-]+)\s+and\s+([0-9.eE+-]+)\s*$")]
    private static partial Regex BetweenPattern();

    [GeneratedRegex(@"^\s*score\s*(<=|>=|<|>)\s*([0-9.eE+-]+)\s*$")]
    private static partial Regex ComparePattern();
}
