using Overlap.Core.Fairness;
using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Contracts;

public static partial class ContractParser
{
    private const string FairnessRequirementExample = "{ metric: selection_rate_ratio, by: sex, min: 0.8 }";

    /// <summary>The <c>fairness:</c> section: attributes, intersections of them, the smallest group judged and the bars.</summary>
    private static FairnessPolicy? ReadFairness(YamlMap map, TaskKind task, ContractColumns? columns)
    {
        var node = map.Take("fairness");
        if (node is null)
        {
            return null;
        }
        if (task != TaskKind.Binary)
        {
            throw map.Error(
                node,
                $"'fairness' compares the decisions of a binary model between groups; a {task.ToString().ToLowerInvariant()} contract cannot have it, so remove it"
            );
        }
        if (node is not YamlMappingNode mapping)
        {
            throw map.Error(
                node,
                "'fairness' must be a mapping such as { attributes: [sex, race], requirements: [...] }"
            );
        }
        var m = new YamlMap(mapping, ErrorSource(map), "'fairness'", ContractKeys.Fairness);
        var attributesNode = m.Require("attributes", "attributes: [sex, race]");
        var attributes = m.Strings("attributes") ?? [];
        if (attributes.Count == 0 || attributes.Any(string.IsNullOrWhiteSpace))
        {
            throw m.Error(
                attributesNode,
                "'fairness.attributes' lists the columns that say which group an example is in, such as [sex, race]"
            );
        }
        if (attributes.Distinct(StringComparer.Ordinal).Count() != attributes.Count)
        {
            throw m.Error(attributesNode, "'fairness.attributes' names a column twice; list each once");
        }
        if (columns is not null)
        {
            var roles = new[] { columns.Label, columns.Score, columns.Prediction, columns.Id };
            foreach (var a in attributes.Where(a => roles.Contains(a)))
            {
                throw m.Error(
                    attributesNode,
                    $"'{a}' is the contract's label, score, prediction or id column, not a sensitive attribute; name the column that holds the group"
                );
            }
        }
        var errors = new ContractErrors();
        var intersections = new List<IReadOnlyList<string>>();
        if (m.Sequence("intersections") is { } seq)
        {
            foreach (var item in seq.Children)
            {
                if (
                    errors.Try<IReadOnlyList<string>?>(() => Grouping(m, item, attributes, "an intersection"), null) is
                    { } g
                )
                {
                    if (g.Count < 2)
                    {
                        errors.Add(
                            m.Error(item, "an intersection combines two or more attributes, such as [sex, race]")
                        );
                    }
                    else
                    {
                        intersections.Add(g);
                    }
                }
            }
        }
        var minGroup = m.Integer("min_group_size", 1) ?? FairnessPolicy.DefaultMinGroupSize;
        var requirements = ReadItems(
            m,
            "requirements",
            ContractKeys.FairnessRequirement,
            FairnessRequirementExample,
            r => ReadFairnessRequirement(r, attributes, columns)
        );
        m.Finish();
        errors.ThrowIfAny();
        return new FairnessPolicy
        {
            Attributes = attributes,
            Intersections = intersections,
            MinGroupSize = minGroup,
            Requirements = requirements,
        };
    }

    private static FairnessRequirement ReadFairnessRequirement(
        YamlMap m,
        IReadOnlyList<string> attributes,
        ContractColumns? columns
    )
    {
        var metricNode = m.Require("metric", FairnessRequirementExample);
        var metric = m.Scalar(metricNode, "metric");
        var names = FairnessMeasure.All.Select(x => x.Name).ToList();
        var measure = FairnessMeasure.Find(metric)
            ?? throw m.Error(
                metricNode,
                Text.Suggestions.Nearest(metric, names) is { } near
                    ? $"unknown fairness metric '{metric}'; did you mean '{near}'?"
                    : $"unknown fairness metric '{metric}'; use one of: {string.Join(", ", names)}"
            );
        if (measure.NeedsScore && columns is { Score: null })
        {
            throw m.Error(
                metricNode,
                $"'{metric}' needs the model's score; add 'columns.score' or drop the requirement"
            );
        }
        var byNode = m.Require("by", "by: sex (an attribute) or by: [sex, race] (an intersection)");
        var by = Grouping(m, byNode, attributes, "'by'");
        var bounds = new List<(Bound Bound, double Value)>();
        const string range = "fairness measures lie between 0 and 1";
        if (m.Number("min", 0, 1, range) is { } min)
        {
            bounds.Add((Bound.Min, min));
        }
        if (m.Number("max", 0, 1, range) is { } max)
        {
            bounds.Add((Bound.Max, max));
        }
        m.Take("description");
        m.Finish();
        if (bounds.Count != 1)
        {
            throw m.Error(
                measure.IsRatio
                    ? $"a fairness requirement has exactly one of 'min' or 'max'; a ratio is held to a min, such as {{ metric: {metric}, by: {by[0]}, min: 0.8 }}"
                    : $"a fairness requirement has exactly one of 'min' or 'max'; a difference is held to a max, such as {{ metric: {metric}, by: {by[0]}, max: 0.1 }}"
            );
        }
        return new FairnessRequirement
        {
            Metric = metric,
            By = by,
            Bound = bounds[0].Bound,
            Value = bounds[0].Value,
            Line = m.Line,
        };
    }

    /// <summary>An attribute or a list of them, each one of the section's attributes.</summary>
    private static IReadOnlyList<string> Grouping(
        YamlMap m,
        YamlNode node,
        IReadOnlyList<string> attributes,
        string what
    )
    {
        IReadOnlyList<string> names = node switch
        {
            YamlScalarNode s => [s.Value ?? string.Empty],
            YamlSequenceNode seq => [.. seq.Children.Select(c => m.Scalar(c, "by"))],
            _ => throw m.Error(node, $"{what} is an attribute such as sex, or a list such as [sex, race]"),
        };
        foreach (var name in names.Where(n => !attributes.Contains(n)))
        {
            var near = Text.Suggestions.Nearest(name, attributes);
            throw m.Error(
                node,
                $"{what} names '{name}', which is not in 'fairness.attributes'; {(near is null ? $"add it there, such as attributes: [{string.Join(", ", attributes.Append(name))}]" : $"did you mean '{near}'?")}"
            );
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw m.Error(node, $"{what} names an attribute twice; list each once");
        }
        return names;
    }
}
