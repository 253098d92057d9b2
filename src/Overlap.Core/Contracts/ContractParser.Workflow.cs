using System.Globalization;
using Overlap.Core.Generative;
using Overlap.Core.Workflow;
using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Contracts;

// The workflow section: what the guard expects of a call's input and output, and the route of each failure.
public static partial class ContractParser
{
    private const string RoutesOnInput =
        "reject (the call is refused), fallback (the application's alternative answers) or escalate (a person decides)";

    private static WorkflowPolicy? ReadWorkflow(
        YamlMap map,
        TaskKind task,
        ContractColumns? columns,
        GenerativeSpec? generative,
        ReviewPolicy? review
    )
    {
        var m = map.Map("workflow", ContractKeys.Workflow);
        if (m is null)
        {
            return null;
        }
        var errors = new ContractErrors();
        var fallbackNode = m.Take("fallback");
        var fallback = fallbackNode is null ? null : NonEmpty(m, fallbackNode, "fallback", "no-suggestion");
        var (input, onInput) = errors.Try(
            () => ReadWorkflowInput(m, task, columns, fallback),
            (new InputExpectations(), GuardRoute.Reject)
        );
        var outputNode = m.Take("output");
        var output = errors.Try(
            () => ReadWorkflowOutput(m, outputNode, task, generative, fallback),
            ([], null, GuardRoute.Retry)
        );
        var retry = errors.Try(
            () => ReadRetry(m, output.OnFailure, generative is not null, fallback),
            new RetryPolicy()
        );
        var escalate = errors.Try(() => ReadEscalate(m), new EscalatePolicy());
        var abstain = errors.Try(() => ReadAbstain(m, task, columns, review), null);
        var guardError = errors.Try(() => ReadGuardError(m), false);
        var reviewCost = errors.Try(
            () =>
                m.Number(
                    "review_cost",
                    0,
                    double.MaxValue,
                    "the money one person's review of one case costs, such as 2.50"
                ),
            null
        );
        errors.Try(m.Finish);
        errors.ThrowIfAny();
        return new WorkflowPolicy
        {
            Input = input,
            OnInputFailure = onInput,
            OutputChecks = output.Checks,
            Format = output.Format,
            OnOutputFailure = output.OnFailure,
            Retry = retry,
            Fallback = fallback,
            Escalate = escalate,
            Abstain = abstain,
            FailClosed = guardError,
            ReviewCost = reviewCost,
        };
    }

    private static (InputExpectations Input, GuardRoute OnFailure) ReadWorkflowInput(
        YamlMap workflow,
        TaskKind task,
        ContractColumns? columns,
        string? fallback
    )
    {
        var m = workflow.Map("input", ContractKeys.WorkflowInput);
        if (m is null)
        {
            return (new InputExpectations(), GuardRoute.Reject);
        }
        var required = m.Strings("required") ?? [];
        var ranges = new List<InputRange>();
        if (m.Map("ranges") is { } rm)
        {
            foreach (var (field, value) in rm.Entries())
            {
                ranges.Add(ReadRange(rm, field, value));
            }
        }
        var categories = new List<InputCategories>();
        if (m.Map("categories") is { } cm)
        {
            foreach (var (field, value) in cm.Entries())
            {
                var allowed = value switch
                {
                    YamlSequenceNode seq => seq.Children.Select(c => cm.Scalar(c, field)).ToList(),
                    _ => null,
                };
                if (allowed is null || allowed.Count == 0)
                {
                    throw cm.Error(
                        value,
                        $"'categories.{field}' lists the values '{field}' may take, such as {field}: [freemail, com_net, other]"
                    );
                }
                categories.Add(new InputCategories(field, allowed));
            }
        }
        var unseenNode = m.Take("max_unseen_share");
        var unseen = 0.0;
        if (unseenNode is not null)
        {
            if (categories.Count == 0)
            {
                throw m.Error(
                    unseenNode,
                    "'max_unseen_share' is the largest share of the inputs listed in 'categories' whose value is not listed; add 'categories' or remove it"
                );
            }
            unseen = m.Number(unseenNode, "max_unseen_share", 0, 1, "a share between 0 and 1, such as 0.25");
        }
        var text = ReadTextExpectation(m, task, columns);
        var onFailure = ReadRoute(
            m,
            "on_failure",
            GuardRoute.Reject,
            [GuardRoute.Reject, GuardRoute.Fallback, GuardRoute.Escalate],
            RoutesOnInput,
            fallback
        );
        m.Finish();
        var expectations = new InputExpectations
        {
            Required = required,
            Ranges = ranges,
            Categories = categories,
            MaxUnseenShare = unseen,
            Text = text,
        };
        return expectations.IsEmpty
            ? throw m.Error(
                "'workflow.input' expects nothing; write 'required', 'ranges', 'categories' or 'text', such as required: [amount, country]"
            )
            : (expectations, onFailure);
    }

    private static InputRange ReadRange(YamlMap ranges, string field, YamlNode value)
    {
        if (value is not YamlMappingNode node)
        {
            throw ranges.Error(value, $"'ranges.{field}' is a mapping such as {field}: {{ min: 0, max: 10000 }}");
        }
        var m = new YamlMap(node, ErrorSource(ranges), $"'ranges.{field}'", ContractKeys.WorkflowRange);
        var min = m.Number("min");
        var max = m.Number("max");
        m.Finish();
        if (min is null && max is null)
        {
            throw m.Error($"'ranges.{field}' needs 'min', 'max' or both, such as {field}: {{ min: 0, max: 10000 }}");
        }
        return min > max
            ? throw m.Error(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"'ranges.{field}' has min {min} above max {max}; swap them"
                )
            )
            : new InputRange(field, min ?? double.NegativeInfinity, max ?? double.PositiveInfinity);
    }

    private static TextExpectation? ReadTextExpectation(YamlMap input, TaskKind task, ContractColumns? columns)
    {
        var m = input.Map("text", ContractKeys.WorkflowText);
        if (m is null)
        {
            return null;
        }
        var field = m.String("field") ?? (task == TaskKind.Generative ? columns?.Input : null);
        if (string.IsNullOrEmpty(field))
        {
            throw m.Error(
                task == TaskKind.Generative
                    ? "'text' needs 'field', the input that holds the text, such as field: question (or name it in columns.input)"
                    : "'text' needs 'field', the input that holds the text, such as field: message"
            );
        }
        var min = m.Integer("min_length") ?? 0;
        var max = m.Integer("max_length") ?? int.MaxValue;
        if (min > max)
        {
            throw m.Error($"'text' has min_length {min} above max_length {max}; swap them");
        }
        var scriptNode = m.Take("script");
        var script = scriptNode is null ? null : m.Scalar(scriptNode, "script");
        if (script is not null && TextScripts.IndexOf(script) < 0)
        {
            throw m.Error(
                scriptNode!,
                $"'script' is '{script}'; write one of {string.Join(", ", TextScripts.Names)} (a script check, not language detection)"
            );
        }
        m.Finish();
        if (script is null && min == 0 && max == int.MaxValue)
        {
            throw m.Error(
                "'text' expects nothing; write 'min_length', 'max_length' or 'script', such as max_length: 4000"
            );
        }
        return new TextExpectation
        {
            Field = field,
            MinLength = min,
            MaxLength = max,
            Script = script,
        };
    }

    private static (IReadOnlyList<OutputCheck> Checks, AnswerFormat? Format, GuardRoute OnFailure) ReadWorkflowOutput(
        YamlMap workflow,
        YamlNode? node,
        TaskKind task,
        GenerativeSpec? generative,
        string? fallback
    )
    {
        if (node is null)
        {
            // A generative contract's checks guard its answers unless it says otherwise.
            return (generative is null ? [] : RunnableChecks(generative.Checks), null, GuardRoute.Retry);
        }
        if (generative is null)
        {
            throw workflow.Error(
                node,
                $"'workflow.output' checks a generated answer; a {task.ToString().ToLowerInvariant()} contract's output is a score, so remove it (use 'abstain' for uncertain scores)"
            );
        }
        if (node is not YamlMappingNode mapping)
        {
            throw workflow.Error(node, "'output' must be a mapping such as { checks: all, on_failure: retry }");
        }
        var m = new YamlMap(mapping, ErrorSource(workflow), "'workflow.output'", ContractKeys.WorkflowOutput);
        var checksNode = m.Take("checks");
        IReadOnlyList<OutputCheck> checks;
        if (checksNode is null or YamlScalarNode { Value: "all" })
        {
            checks = RunnableChecks(generative.Checks);
        }
        else if (checksNode is YamlScalarNode { Value: "none" })
        {
            checks = [];
        }
        else if (checksNode is YamlSequenceNode seq)
        {
            var list = new List<OutputCheck>();
            foreach (var item in seq.Children)
            {
                var name = m.Scalar(item, "checks");
                var check = generative.Checks.FirstOrDefault(c => c.Name == name);
                if (check is null)
                {
                    var names = generative.Checks.Select(c => c.Name).ToList();
                    var near = Text.Suggestions.Nearest(name, names);
                    throw m.Error(
                        item,
                        $"'output.checks' names '{name}', which is no check of the contract; {(near is null ? "use one of: " + string.Join(", ", names) : $"did you mean '{near}'?")}"
                    );
                }
                if (check.Kind == OutputCheckKind.SimilarTo)
                {
                    throw m.Error(
                        item,
                        $"check '{name}' compares embeddings, which is too slow to run on every call; leave it out of 'output.checks' (it still counts in evaluations)"
                    );
                }
                list.Add(check);
            }
            checks = list;
        }
        else
        {
            throw m.Error(
                checksNode,
                "'output.checks' is all (every check that needs no model), none, or a list of check names such as [valid_json, no_refund_promise]"
            );
        }
        var format = ReadFormat(m);
        var onFailure = ReadRoute(
            m,
            "on_failure",
            GuardRoute.Retry,
            [GuardRoute.Retry, GuardRoute.Fallback, GuardRoute.Escalate],
            "retry (the model is asked again), fallback (the application's alternative answers) or escalate (a person decides)",
            fallback
        );
        m.Finish();
        return (checks, format, onFailure);
    }

    private static List<OutputCheck> RunnableChecks(IReadOnlyList<OutputCheck> checks) =>
        [.. checks.Where(c => c.Kind != OutputCheckKind.SimilarTo)];

    private static AnswerFormat? ReadFormat(YamlMap output)
    {
        var m = output.Map("format", ContractKeys.WorkflowFormat);
        if (m is null)
        {
            return null;
        }
        var schemaNode = m.Take("json_schema");
        var labels = m.Strings("labels");
        m.Finish();
        if ((schemaNode is null) == (labels is null))
        {
            throw m.Error(
                "'format' is exactly one of json_schema (a schema file beside the contract, such as reply.schema.json) or labels (the answers allowed, such as [billing, technical, sales])"
            );
        }
        if (labels is not null && (labels.Count == 0 || labels.Any(l => l.Trim().Length == 0)))
        {
            throw m.Error("'format.labels' lists the answers allowed, such as [billing, technical, sales]");
        }
        return schemaNode is null
            ? new AnswerFormat { Labels = labels! }
            : new AnswerFormat { SchemaPath = NonEmpty(m, schemaNode, "json_schema", "reply.schema.json") };
    }

    private static RetryPolicy ReadRetry(YamlMap workflow, GuardRoute onOutput, bool generative, string? fallback)
    {
        var node = workflow.Take("retry");
        var then = fallback is null ? GuardRoute.Escalate : GuardRoute.Fallback;
        if (node is null)
        {
            return new RetryPolicy { Then = then };
        }
        if (!generative || onOutput != GuardRoute.Retry)
        {
            throw workflow.Error(
                node,
                generative
                    ? "'retry' says how answers are retried, but 'output.on_failure' does not retry; remove 'retry' or write on_failure: retry"
                    : "'retry' asks the model again for a better answer, which only a generative contract can do; remove it"
            );
        }
        if (node is not YamlMappingNode mapping)
        {
            throw workflow.Error(node, "'retry' must be a mapping such as { max_attempts: 2, then: fallback }");
        }
        var m = new YamlMap(mapping, ErrorSource(workflow), "'workflow.retry'", ContractKeys.WorkflowRetry);
        var attempts = m.Integer("max_attempts", 2) ?? 2;
        if (attempts > 10)
        {
            throw m.Error(
                "'max_attempts' is at most 10 (each attempt is a paid model call the user waits for), such as max_attempts: 2"
            );
        }
        var add = m.String("add_to_prompt");
        if (add is { Length: 0 })
        {
            throw m.Error("'add_to_prompt' is empty; remove it to add the failed check's message, or write the text");
        }
        then = ReadRoute(
            m,
            "then",
            then,
            [GuardRoute.Fallback, GuardRoute.Escalate],
            "fallback (the application's alternative answers) or escalate (a person decides)",
            fallback
        );
        m.Finish();
        return new RetryPolicy
        {
            MaxAttempts = attempts,
            AddToPrompt = add,
            Then = then,
        };
    }

    private static EscalatePolicy ReadEscalate(YamlMap workflow)
    {
        var m = workflow.Map("escalate", ContractKeys.WorkflowEscalate);
        if (m is null)
        {
            return new EscalatePolicy();
        }
        var reasonNode = m.Take("reason");
        var reason = reasonNode is null
            ? null
            : NonEmpty(m, reasonNode, "reason", "\"the draft failed its checks twice\"");
        var priorityNode = m.Take("priority");
        var priority = priorityNode is null ? "normal" : m.Scalar(priorityNode, "priority");
        if (!ContractKeys.EscalatePriorities.Contains(priority))
        {
            throw m.Error(
                priorityNode!,
                $"'priority' is '{priority}'; write {string.Join(", ", ContractKeys.EscalatePriorities)}"
            );
        }
        m.Finish();
        return new EscalatePolicy { Reason = reason, Priority = priority };
    }

    private static AbstainBand? ReadAbstain(
        YamlMap workflow,
        TaskKind task,
        ContractColumns? columns,
        ReviewPolicy? review
    )
    {
        var node = workflow.Take("abstain");
        var scored = task == TaskKind.Binary && columns?.Score is not null;
        if (node is null)
        {
            // The review band is the contract's uncertain band already: by default the guard abstains inside it.
            return scored && review is { } r && !double.IsInfinity(r.ScoreLow) && !double.IsInfinity(r.ScoreHigh)
                ? new AbstainBand(r.When, r.ScoreLow, r.ScoreHigh)
                : null;
        }
        var text = workflow.Scalar(node, "abstain");
        if (text == "none")
        {
            return null;
        }
        if (!scored)
        {
            throw workflow.Error(
                node,
                "'abstain' is a score band, for a binary contract with columns.score; remove it (use 'escalate' routes instead)"
            );
        }
        var band = ParseWhen(text);
        return band is { } b && !double.IsInfinity(b.Low) && !double.IsInfinity(b.High)
            ? new AbstainBand(text, b.Low, b.High)
            : throw workflow.Error(
                node,
                $"'abstain' is '{text}'; write a band such as \"score between 0.35 and 0.65\" (by default the review band), or none"
            );
    }

    private static bool ReadGuardError(YamlMap workflow)
    {
        var node = workflow.Take("on_guard_error");
        if (node is null)
        {
            return false;
        }
        var text = workflow.Scalar(node, "on_guard_error");
        return text switch
        {
            "open" => false,
            "closed" => true,
            _ => throw workflow.Error(
                node,
                $"'on_guard_error' is '{text}'; write open (a guard that fails lets the call through unguarded) or closed (it takes the fallback, abstain or escalate route)"
            ),
        };
    }

    private static GuardRoute ReadRoute(
        YamlMap m,
        string key,
        GuardRoute fallbackRoute,
        GuardRoute[] allowed,
        string choices,
        string? fallback
    )
    {
        var node = m.Take(key);
        if (node is null)
        {
            return fallbackRoute;
        }
        var text = m.Scalar(node, key);
        GuardRoute? route = text switch
        {
            "reject" => GuardRoute.Reject,
            "retry" => GuardRoute.Retry,
            "fallback" => GuardRoute.Fallback,
            "escalate" => GuardRoute.Escalate,
            _ => null,
        };
        if (route is not { } r || !allowed.Contains(r))
        {
            throw m.Error(node, $"'{key}' is '{text}'; write {choices}");
        }
        return r == GuardRoute.Fallback && fallback is null
            ? throw m.Error(
                node,
                $"'{key}' is fallback, but the workflow names no fallback; add fallback: <name>, the alternative the application registers (such as fallback: no-suggestion)"
            )
            : r;
    }
}
