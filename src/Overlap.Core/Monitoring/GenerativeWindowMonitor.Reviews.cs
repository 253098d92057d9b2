using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Metrics;

namespace Overlap.Core.Monitoring;

// What a window shows of people's and the model judge's work: failure categories from settled reviews, the acceptable
// rate as each side's grades decide it, and the worst outputs with both sides' grades.
public static partial class GenerativeWindowMonitor
{
    /// <summary>The longest input or output excerpt a window keeps.</summary>
    private const int ExcerptLength = 200;

    /// <summary>
    /// How many of the window's outputs have a settled review, and for each of the contract's
    /// <c>review.failure_categories</c> (in its order) how many of those decisions carry it, with its share of the
    /// reviewed outputs and the share's Wilson interval at the contract's confidence. A decision on an output outside
    /// the window is left out; an output decided twice counts its last decision.
    /// </summary>
    internal static (int Reviewed, List<FailureCategoryCount> Categories) FailureCategories(
        Contract contract,
        IReadOnlyList<GenerativeOutput> outputs,
        IReadOnlyList<(string OutputId, string? Category)> reviews
    )
    {
        var ids = outputs.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var settled = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (id, category) in reviews)
        {
            if (ids.Contains(id))
            {
                settled[id] = category;
            }
        }
        var categories = new List<FailureCategoryCount>();
        foreach (var name in contract.Review?.FailureCategories ?? [])
        {
            var count = settled.Values.Count(c => c == name);
            var m = MetricIntervals.Proportion(count, settled.Count, contract.Confidence);
            categories.Add(
                new FailureCategoryCount
                {
                    Category = name,
                    Count = count,
                    Share = new MetricValue(m.Value, m.Interval.Low, m.Interval.High, m.N)
                    {
                        Reason =
                            settled.Count == 0
                                ? $"no {contract.Words.Output} in this window has a settled review yet"
                                : null,
                    },
                }
            );
        }
        return (settled.Count, categories);
    }

    /// <summary>
    /// <c>acceptable_rate</c> with the criteria decided by people's grades alone, then by the model judge's alone (the
    /// checks alike), each over the outputs that side graded on every criterion <c>acceptable</c> needs.
    /// </summary>
    private static Dictionary<string, MetricValue> AcceptableBy(
        Contract contract,
        GenerativeSpec spec,
        IReadOnlyList<GenerativeOutput> outputs,
        IReadOnlyList<RubricGrade> grades,
        GenerativeOptions generative
    )
    {
        var result = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        if (spec.Rubric.Count == 0)
        {
            return result;
        }
        var known = new Dictionary<(string Output, string Criterion, GradeSource Source), int>();
        foreach (var g in grades)
        {
            if (g.Grade is { } grade)
            {
                known.TryAdd((g.OutputId, g.Criterion, g.Source), grade);
            }
        }
        var gradedIds = known.Keys.Select(k => k.Output).ToHashSet(StringComparer.Ordinal);
        var graded = outputs.Where(o => gradedIds.Contains(o.Id)).ToList();
        // The checks run only on the outputs someone graded: the window's evaluation ran them on all already.
        var cases =
            graded.Count == 0
                ? null
                : GenerativeCases.Judge(
                    contract,
                    Cases(contract, spec, graded, []),
                    generative with
                    {
                        ModelGrades = [],
                        TrustedCriteria = new HashSet<string>(),
                    }
                );
        foreach (
            var (source, key, who) in new[]
            {
                (GradeSource.Person, "people", "people"),
                (GradeSource.Model, "model", "the model judge"),
            }
        )
        {
            long successes = 0,
                trials = 0;
            for (var i = 0; i < graded.Count; i++)
            {
                var acceptable = Acceptable(spec, cases!, i, c =>
                    known.TryGetValue((graded[i].Id, c, source), out var g) ? g : null
                );
                if (acceptable is { } yes)
                {
                    trials++;
                    successes += yes ? 1 : 0;
                }
            }
            var m = MetricIntervals.Proportion(successes, trials, contract.Confidence);
            result[key] = new MetricValue(m.Value, m.Interval.Low, m.Interval.High, m.N)
            {
                Reason =
                    trials == 0
                        ? $"no {contract.Words.Output} in this window was graded by {who} on every criterion"
                        : null,
            };
        }
        return result;
    }

    /// <summary>
    /// Whether case <paramref name="row"/> is acceptable with <paramref name="grade"/> deciding the criteria; null when
    /// a result is missing.
    /// </summary>
    private static bool? Acceptable(GenerativeSpec spec, GenerativeCases cases, int row, Func<string, int?> grade)
    {
        var passed = true;
        foreach (var name in spec.AcceptableNames)
        {
            bool? result =
                cases.Checks.TryGetValue(name, out var outcomes) ? outcomes[row].Passed
                : grade(name) is { } g ? spec.Rubric.First(r => r.Name == name).Passes(g)
                : null;
            if (result is not { } known)
            {
                return null;
            }
            passed &= known;
        }
        return passed;
    }

    /// <summary>The evaluation's worst outputs (at most five) with their input and both sides' grades.</summary>
    private static List<WorstOutput> Worst(
        Contract contract,
        GenerativeSpec spec,
        IReadOnlyList<GenerativeOutput> outputs,
        IReadOnlyList<RubricGrade> grades,
        EvaluationReport evaluation
    )
    {
        var byId = outputs
            .GroupBy(o => o.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Dictionary<string, string> Grades(string id, GradeSource source)
        {
            var shown = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var criterion in spec.Rubric)
            {
                if (
                    grades.FirstOrDefault(g =>
                        g.OutputId == id && g.Criterion == criterion.Name && g.Source == source
                    ) is
                    { } g
                )
                {
                    shown[criterion.Name] = g.Grade is { } grade ? GradeText(criterion, grade) : "no verdict";
                }
            }
            return shown;
        }
        return
        [
            .. (evaluation.WorstOutputs ?? [])
                .Where(f => f.Id is not null && byId.ContainsKey(f.Id))
                .Take(5)
                .Select(f => new WorstOutput
                {
                    Id = f.Id!,
                    Input = Excerpt(
                        (contract.Columns.Input is { } input ? byId[f.Id!].Fields.GetValueOrDefault(input) : null)
                            ?? byId[f.Id!].Fields.GetValueOrDefault("messages")
                    ),
                    Output = f.Output,
                    Failed = f.Failed,
                    PeopleGrades = Grades(f.Id!, GradeSource.Person),
                    ModelGrades = Grades(f.Id!, GradeSource.Model),
                }),
        ];
    }

    private static string? Excerpt(string? text) =>
        text is { Length: > ExcerptLength } ? text[..ExcerptLength] + "…" : text;
}
