using System.Text.RegularExpressions;
using Overlap.Core.Generative;
using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Contracts;

// The parts of a contract only a generative feature has: its columns, checks, rubric, acceptable and judges.
public static partial class ContractParser
{
    private static readonly string[] GenerativeColumnKeys = ["input", "output", "reference", "tags", "tokens", "cost"];

    private static ContractColumns ReadGenerativeColumns(YamlMap map)
    {
        var node = map.Require("columns", "columns: { id: ticket_id, input: question, output: draft }");
        var m = map.Map("columns", ContractKeys.Columns)!;
        foreach (var key in (string[])["label", "score", "prediction"])
        {
            if (m.Take(key) is { } extra)
            {
                throw m.Error(
                    extra,
                    $"a generative contract has no 'columns.{key}'; remove it (outputs are judged by 'checks' and 'rubric', and people's grades go in columns named rubric.<criterion>)"
                );
            }
        }
        var columns = new ContractColumns
        {
            Id = m.String("id"),
            Time = m.String("time"),
            Input = m.String("input"),
            Output = m.String("output")
                ?? throw map.Error(
                    node,
                    "a generative contract needs 'columns.output', the column with the text to judge"
                ),
            Reference = m.String("reference"),
            Tags = m.String("tags"),
            Tokens = m.String("tokens"),
            Cost = m.String("cost"),
            LatencyMs = m.String("latency_ms"),
            Segments = m.Strings("segments") ?? [],
            Features = m.Strings("features"),
        };
        m.Finish();
        return columns;
    }

    private static void RefuseGenerativeColumns(YamlMap columns)
    {
        foreach (var key in GenerativeColumnKeys)
        {
            if (columns.Take(key) is { } node)
            {
                throw columns.Error(node, $"'columns.{key}' is for 'task: generative' only; remove it");
            }
        }
    }

    /// <summary>The generative sections; for other tasks, null, and each of them present is refused.</summary>
    private static GenerativeSpec? ReadGenerative(YamlMap map, TaskKind task, ContractErrors errors)
    {
        if (task != TaskKind.Generative)
        {
            foreach (var key in (string[])["checks", "rubric", "acceptable", "judges"])
            {
                errors.Try(() =>
                {
                    if (map.Take(key) is { } node)
                    {
                        throw map.Error(node, $"'{key}' is for 'task: generative' only; remove it");
                    }
                });
            }
            return null;
        }
        var checks = errors.Try(
            () => ReadItems(map, "checks", ContractKeys.Check, "{ name: short_enough, max_length: 1200 }", ReadCheck),
            []
        );
        var rubric = errors.Try(
            () =>
                ReadItems(
                    map,
                    "rubric",
                    ContractKeys.Rubric,
                    "{ name: short_enough, max_length: 1200 }",
                    ReadCriterion
                ),
            []
        );
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, line) in checks.Select(c => (c.Name, c.Line)).Concat(rubric.Select(r => (r.Name, r.Line))))
        {
            if (!names.Add(name))
            {
                errors.Add(
                    new ContractException(
                        ErrorSource(map),
                        line,
                        $"the name '{name}' is used twice among 'checks' and 'rubric'; give each check and criterion its own name"
                    )
                );
            }
        }
        if (checks.Count == 0 && rubric.Count == 0)
        {
            errors.Add(
                map.Error(
                    "a generative contract needs 'checks' or 'rubric' (or both), such as checks: [ { name: short_enough, max_length: 1200 } ]"
                )
            );
        }
        var acceptable = errors.Try(() => ReadAcceptable(map, names), null);
        var judges = errors.Try(() => ReadJudges(map), null);
        return new GenerativeSpec
        {
            Checks = checks,
            Rubric = rubric,
            Acceptable = acceptable,
            Judges = judges,
        };
    }

    /// <summary>The items of list <paramref name="key"/>, each a mapping with <paramref name="keys"/>, every refusal reported at once.</summary>
    private static List<T> ReadItems<T>(
        YamlMap map,
        string key,
        IReadOnlyCollection<string> keys,
        string example,
        Func<YamlMap, T> read
    )
    {
        var list = new List<T>();
        if (map.Sequence(key) is not { } seq)
        {
            return list;
        }
        var errors = new ContractErrors();
        foreach (var item in seq.Children)
        {
            if (item is not YamlMappingNode node)
            {
                errors.Add(map.Error(item, $"each item of '{key}' is a mapping such as {example}"));
                continue;
            }
            var itemMap = new YamlMap(node, ErrorSource(map), $"an item of '{key}'", keys);
            if (errors.Try<object?>(() => read(itemMap), null) is T value)
            {
                list.Add(value);
            }
        }
        errors.ThrowIfAny();
        return list;
    }

    private static string ReadName(YamlMap m, string example)
    {
        var node = m.Require("name", example);
        var name = m.Scalar(node, "name");
        return NamePattern().IsMatch(name)
            ? name
            : throw m.Error(
                node,
                $"the name '{name}' must be letters, digits, '_' or '-' (it becomes part of a metric name), such as no_refund_promise"
            );
    }

    private static OutputCheck ReadCheck(YamlMap m)
    {
        var name = ReadName(m, "{ name: short_enough, max_length: 1200 }");
        var kinds = ContractKeys
            .CheckKinds.Select(k => (Key: k, Node: m.Take(k)))
            .Where(k => k.Node is not null)
            .ToList();
        var minNode = m.Take("min");
        m.Take("description");
        m.Finish();
        if (kinds.Count != 1)
        {
            throw m.Error(
                $"check '{name}' needs exactly one of {string.Join(", ", ContractKeys.CheckKinds)}; {(kinds.Count == 0 ? "it has none" : "it has " + string.Join(" and ", kinds.Select(k => k.Key)))}; write one check per assertion"
            );
        }
        var (key, node) = (kinds[0].Key, kinds[0].Node!);
        if (minNode is not null && key != "similar_to")
        {
            throw m.Error(minNode, $"'min' belongs to a similar_to check; remove it from check '{name}'");
        }
        var check = new OutputCheck
        {
            Name = name,
            Kind = OutputChecks.Parse(key),
            Line = m.Line,
        };
        return check.Kind switch
        {
            OutputCheckKind.Regex => check with { Pattern = CheckPattern(m, node, name) },
            OutputCheckKind.Contains or OutputCheckKind.NotContains => check with { Texts = Texts(m, node, key) },
            OutputCheckKind.MaxLength or OutputCheckKind.MinLength => check with
            {
                Length = (int)m.Number(node, key, 0, int.MaxValue, "write a whole number of characters, such as 1200"),
            },
            OutputCheckKind.JsonSchema => check with { SchemaPath = NonEmpty(m, node, key, "reply.schema.json") },
            _ => check with
            {
                Column = NonEmpty(m, node, key, "reference"),
                Min = minNode is null
                    ? throw m.Error(
                        node,
                        $"check '{name}' needs 'min', the lowest cosine similarity that passes, such as min: 0.6"
                    )
                    : m.Number(minNode, "min", -1, 1, "a cosine similarity lies between -1 and 1, such as 0.6"),
            },
        };
    }

    private static string CheckPattern(YamlMap m, YamlNode node, string name)
    {
        var pattern = m.Scalar(node, "regex");
        try
        {
            _ = new Regex(pattern, RegexOptions.None, OutputChecks.RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw m.Error(
                node,
                $"the regex of check '{name}' is not a valid .NET pattern ({e.Message.TrimEnd('.')}); in YAML double quotes write a backslash as \\\\"
            );
        }
        return pattern;
    }

    private static IReadOnlyList<string> Texts(YamlMap m, YamlNode node, string key)
    {
        IReadOnlyList<string> texts = node switch
        {
            YamlSequenceNode seq => [.. seq.Children.Select(c => m.Scalar(c, key))],
            _ => [m.Scalar(node, key)],
        };
        return texts.Count > 0 && texts.All(t => t.Length > 0)
            ? texts
            : throw m.Error(
                node,
                $"'{key}' needs one or more non-empty texts, such as {key}: [\"guarantee a refund\"]"
            );
    }

    private static string NonEmpty(YamlMap m, YamlNode node, string key, string example)
    {
        var text = m.Scalar(node, key);
        return text.Length > 0 ? text : throw m.Error(node, $"'{key}' is empty; write such as {key}: {example}");
    }

    private static RubricCriterion ReadCriterion(YamlMap m)
    {
        var name = ReadName(m, "{ name: factual, question: \"Is every fact supported?\", scale: pass_fail }");
        var question = NonEmpty(
            m,
            m.Require("question", "{ name: factual, question: \"Is every fact supported?\" }"),
            "question",
            "\"Is the tone warm and professional?\""
        );
        var scaleNode = m.Take("scale");
        var scaleText = scaleNode is null ? "pass_fail" : m.Scalar(scaleNode, "scale");
        var scale = scaleText switch
        {
            "pass_fail" => RubricScale.PassFail,
            "1-5" => RubricScale.OneToFive,
            _ => throw m.Error(scaleNode!, $"'scale' is '{scaleText}'; write pass_fail or 1-5"),
        };
        var passAtNode = m.Take("pass_at");
        var passAt = 4;
        if (passAtNode is not null)
        {
            if (scale != RubricScale.OneToFive)
            {
                throw m.Error(
                    passAtNode,
                    $"'pass_at' belongs to a 1-5 scale; remove it from '{name}' or write scale: 1-5"
                );
            }
            var value = m.Number(passAtNode, "pass_at", 1, 5, "the lowest grade that passes, 1 to 5, such as 4");
            passAt =
                value == Math.Floor(value)
                    ? (int)value
                    : throw m.Error(passAtNode, "'pass_at' is a whole grade from 1 to 5, such as 4");
        }
        string? good = null,
            rejected = null;
        if (m.Map("examples", ContractKeys.RubricExamples) is { } examples)
        {
            good = examples.String("good");
            rejected = examples.String("rejected");
            examples.Finish();
        }
        m.Finish();
        return new RubricCriterion
        {
            Name = name,
            Question = question,
            Scale = scale,
            PassAt = passAt,
            GoodExample = good,
            RejectedExample = rejected,
            Line = m.Line,
        };
    }

    private static IReadOnlyList<string>? ReadAcceptable(YamlMap map, HashSet<string> names)
    {
        var node = map.Take("acceptable");
        if (node is null || (node is YamlScalarNode { Value: "all" }))
        {
            return null;
        }
        if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            throw map.Error(
                node,
                "'acceptable' is 'all' or a list of check and criterion names, such as acceptable: [no_refund_promise, factual]"
            );
        }
        var list = new List<string>();
        foreach (var item in seq.Children)
        {
            var name = map.Scalar(item, "acceptable");
            if (!names.Contains(name))
            {
                var near = Text.Suggestions.Nearest(name, names);
                throw map.Error(
                    item,
                    $"'acceptable' names '{name}', which is no check or criterion; {(near is null ? "use one of: " + string.Join(", ", names) : $"did you mean '{near}'?")}"
                );
            }
            list.Add(name);
        }
        return list;
    }

    private static JudgesPolicy? ReadJudges(YamlMap map)
    {
        var m = map.Map("judges", ContractKeys.Judges);
        if (m is null)
        {
            return null;
        }
        const string ShareHint = "a share between 0 and 1, such as 0.05";
        var people = 0.0;
        if (m.Map("people", ContractKeys.JudgesPeople) is { } p)
        {
            people = p.Number("sample", 0, 1, ShareHint) ?? 0;
            p.Finish();
        }
        ModelJudgePolicy? model = null;
        if (m.Map("model", ContractKeys.JudgesModel) is { } j)
        {
            model = new ModelJudgePolicy
            {
                Endpoint = j.String("endpoint")
                    ?? throw j.Error("'judges.model' needs 'endpoint', such as endpoint: env:OVERLAP_JUDGE_ENDPOINT"),
                Model = j.String("model")
                    ?? throw j.Error("'judges.model' needs 'model', such as model: env:OVERLAP_JUDGE_MODEL"),
                Key = j.String("key"),
                Sample = j.Number("sample", 0, 1, ShareHint) ?? 0,
                BudgetPerDay = j.Number("budget_per_day", 0, double.MaxValue, "an amount of money, zero or more"),
            };
            j.Finish();
        }
        var policy = new JudgesPolicy
        {
            PeopleSample = people,
            Model = model,
            MinAgreement = m.Number("min_agreement", 0, 1, "a share between 0 and 1, such as 0.8") ?? 0.8,
        };
        m.Finish();
        return policy;
    }

    /// <summary>A generative requirement's metric must name a check or criterion the contract defines, on a fitting scale.</summary>
    private static void CheckGenerativeMetric(YamlMap m, YamlNode node, string metric, GenerativeSpec spec)
    {
        if (MetricCatalog.Target(metric) is not { } target)
        {
            return;
        }
        var (kind, name, stat) = target;
        if (kind == "check" && !spec.Checks.Any(c => c.Name == name))
        {
            throw m.Error(node, Missing("check", name, spec.Checks.Select(c => c.Name), "checks"));
        }
        if (kind == "rubric")
        {
            var criterion = spec.Rubric.FirstOrDefault(r => r.Name == name);
            if (criterion is null)
            {
                throw m.Error(node, Missing("criterion", name, spec.Rubric.Select(r => r.Name), "rubric"));
            }
            if (stat == "mean" && criterion.Scale != RubricScale.OneToFive)
            {
                throw m.Error(
                    node,
                    $"'{metric}' needs a 1-5 scale, and '{name}' is pass_fail; use rubric.{name}.pass_rate instead"
                );
            }
        }
    }

    private static string Missing(string what, string name, IEnumerable<string> names, string section)
    {
        var list = names.ToList();
        var near = Text.Suggestions.Nearest(name, list);
        return list.Count == 0
                ? $"no {what} is named '{name}': the contract's '{section}' is empty; define it there first"
            : near is not null ? $"no {what} is named '{name}'; did you mean '{near}'?"
            : $"no {what} is named '{name}'; define it in '{section}' or use one of: {string.Join(", ", list)}";
    }

    /// <summary>The metric names a task may use: for a generative contract, with its checks' and criteria's names filled in.</summary>
    private static IEnumerable<string> MetricNames(TaskKind task, GenerativeSpec? spec) =>
        spec is null ? MetricCatalog.NamesFor(task) : MetricCatalog.NamesFor(spec);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
