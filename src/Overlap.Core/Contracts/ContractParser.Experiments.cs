using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Contracts;

public static partial class ContractParser
{
    private const string ExperimentExample =
        "{ name: spam-v2, control: nb@1, treatment: nb@2, primary: [{ metric: recall, min_effect: 0.03 }] }";

    /// <summary>The <c>experiments:</c> list; names unique.</summary>
    private static IReadOnlyList<ExperimentSpec> ReadExperiments(YamlMap map, TaskKind task)
    {
        var experiments = ReadItems(map, "experiments", ContractKeys.Experiment, ExperimentExample, m =>
            ReadExperiment(m, task)
        );
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var experiment in experiments.Where(e => !seen.Add(e.Name)))
        {
            throw map.Error($"two experiments are named '{experiment.Name}'; give each its own name");
        }
        return experiments;
    }

    private static ExperimentSpec ReadExperiment(YamlMap m, TaskKind task)
    {
        var nameNode = m.Require("name", ExperimentExample);
        var name = m.Scalar(nameNode, "name");
        if (!SlugPattern().IsMatch(name))
        {
            throw m.Error(
                nameNode,
                $"the experiment name '{name}' must be lowercase letters, digits and dashes, such as spam-v2"
            );
        }
        var control = m.Scalar(m.Require("control", "control: spam-nb@1 (the model_version in use)"), "control");
        var treatmentNode = m.Require("treatment", "treatment: spam-nb@2 (the model_version tried)");
        var treatment = m.Scalar(treatmentNode, "treatment");
        if (string.Equals(control, treatment, StringComparison.Ordinal))
        {
            throw m.Error(
                treatmentNode,
                $"'treatment' is '{treatment}', the same model version as 'control'; name the version tried"
            );
        }
        var shadow = ReadFlag(m, "shadow");
        var splitNode = m.Take("split");
        IReadOnlyList<double> split = [50, 50];
        if (splitNode is not null)
        {
            if (shadow)
            {
                throw m.Error(
                    splitNode,
                    "a shadow experiment serves only the control and scores the treatment on the same traffic, so it has no 'split'; remove it"
                );
            }
            split = ReadSplit(m, splitNode);
        }
        var unit = m.String("unit") ?? ExperimentSpec.PredictionUnit;
        var primary = ReadItems(
            m,
            "primary",
            ContractKeys.ExperimentMetric,
            "{ metric: recall, min_effect: 0.03 }",
            p => ReadExperimentMetric(p, task, primary: true)
        );
        if (primary.Count == 0)
        {
            throw m.Error(
                "an experiment needs 'primary': what must improve, such as primary: [{ metric: recall, min_effect: 0.03 }]"
            );
        }
        var spec = new ExperimentSpec
        {
            Name = name,
            Control = control,
            Treatment = treatment,
            Split = split,
            Unit = unit,
            Salt = m.String("salt") ?? name,
            Primary = primary,
            Guardrails = ReadItems(
                m,
                "guardrails",
                ContractKeys.ExperimentMetric,
                "{ metric: false_positive_rate, margin: 0.005 }",
                g => ReadExperimentMetric(g, task, primary: false)
            ),
            Power = m.Number(
                "power",
                0.5,
                0.99,
                "the chance of detecting the smallest effect worth detecting, such as 0.8"
            ) ?? 0.8,
            MaxDuration = m.Duration("max_duration") ?? TimeSpan.FromDays(28),
            Shadow = shadow,
            Ended = Date(m, "ended"),
        };
        if (shadow && spec.Primary.Concat(spec.Guardrails).FirstOrDefault(x => x.Business is not null) is { } business)
        {
            throw m.Error(
                $"a shadow experiment never serves its treatment, so no business event ('{business.Business}') can follow from it; compare contract metrics (recall, false_positive_rate, latency_p95_ms…) or run an A/B experiment"
            );
        }
        m.Finish();
        return spec;
    }

    private static IReadOnlyList<double> ReadSplit(YamlMap m, YamlNode node)
    {
        if (node is not YamlSequenceNode { Children.Count: 2 } seq)
        {
            throw m.Error(node, "'split' is two weights, control then treatment, such as [50, 50] or [90, 10]");
        }
        return
        [
            .. seq.Children.Select(c =>
                m.Number(
                    c,
                    "split",
                    double.Epsilon,
                    double.MaxValue,
                    "each arm's weight is a positive number, such as [90, 10]"
                )
            ),
        ];
    }

    private static bool ReadFlag(YamlMap m, string key)
    {
        var node = m.Take(key);
        if (node is null)
        {
            return false;
        }
        var text = m.Scalar(node, key);
        return text switch
        {
            "true" => true,
            "false" => false,
            _ => throw m.Error(node, $"'{key}' is true or false, not '{text}'"),
        };
    }

    private static ExperimentMetric ReadExperimentMetric(YamlMap m, TaskKind task, bool primary)
    {
        var metricNode = m.Take("metric");
        var businessNode = m.Take("business");
        var amountKey = primary ? "min_effect" : "margin";
        var example = primary
            ? "{ metric: recall, min_effect: 0.03 }"
            : "{ metric: false_positive_rate, margin: 0.005 }";
        if ((metricNode is null) == (businessNode is null))
        {
            throw m.Error(
                $"an experiment's metric names either 'metric' (a contract metric) or 'business' (a business event), such as {example}"
            );
        }
        var amountNode = primary ? m.Require("min_effect", example) : m.Require("margin", example);
        var amount = m.Number(
            amountNode,
            amountKey,
            primary ? double.Epsilon : 0,
            double.MaxValue,
            primary
                ? "the smallest improvement worth detecting, in the metric's units"
                : "how much worse it may get, in the metric's units (0 for no worse at all)"
        );
        var betterNode = m.Take("better");
        ExperimentMetric metric;
        if (metricNode is not null)
        {
            var name = m.Scalar(metricNode, "metric");
            var info = MetricCatalog.Find(name);
            if (info is null || !info.Fits(task))
            {
                var near = Text.Suggestions.Nearest(name, [.. MetricCatalog.NamesFor(task)]);
                throw m.Error(
                    metricNode,
                    $"'{name}' is not a metric of a {task.ToString().ToLowerInvariant()} feature; {(near is null ? "see docs/contract.md for the list" : $"did you mean '{near}'?")}"
                );
            }
            if (!info.HasDirection)
            {
                throw m.Error(
                    metricNode,
                    $"'{name}' has no better direction (higher is not better or worse), so an experiment cannot say whether it improved; pick another metric"
                );
            }
            if (info.OnWorkflow)
            {
                throw m.Error(
                    metricNode,
                    $"'{name}' is counted from the contract's guard, which experiments do not compare between arms yet; watch it per window with a requirement such as {{ metric: {name}, max: 0.05 }}, and compare arms on a rate such as recall, a latency quantile, cost_per_1000 or a business event"
                );
            }
            if (!Experiments.ExperimentMetrics.Comparable(info))
            {
                throw m.Error(
                    metricNode,
                    $"'{name}' cannot be compared between arms yet; use a rate such as recall or false_positive_rate, a latency quantile such as latency_p95_ms, cost_per_1000, or a business event"
                );
            }
            if (betterNode is not null)
            {
                throw m.Error(
                    betterNode,
                    $"'better' is for a business event; whether a higher {name} is better is known"
                );
            }
            metric = new ExperimentMetric { Metric = name, HigherIsBetter = info.HigherIsBetter };
        }
        else
        {
            var better = betterNode is null ? "higher" : m.Scalar(betterNode, "better");
            if (better is not ("higher" or "lower"))
            {
                throw m.Error(betterNode!, $"'better' is higher or lower, not '{better}'");
            }
            metric = new ExperimentMetric
            {
                Business = m.Scalar(businessNode!, "business"),
                HigherIsBetter = better == "higher",
            };
        }
        return primary ? metric with { MinEffect = amount } : metric with { Margin = amount };
    }
}
