using System.Text.Json;
using Overlap.Core.Generative;

namespace Overlap.Server.Review;

/// <summary>
/// A reviewer's rubric grades as sent with a decision (<c>"grades": {"informative": "pass", "clarity": 4}</c>), checked
/// against the contract's rubric, and how two opinions' grades compare.
/// </summary>
internal static class DecisionGrades
{
    /// <summary>
    /// The grades by criterion (pass/fail as 1/0, 1–5 as given), or what is wrong with them in words: a criterion the
    /// rubric does not name, one left out, a grade that is not on its criterion's scale.
    /// </summary>
    public static (IReadOnlyDictionary<string, int>? Grades, string? Problem) Read(
        IReadOnlyList<RubricCriterion> rubric,
        IReadOnlyDictionary<string, JsonElement>? sent
    )
    {
        var names = string.Join(", ", rubric.Select(Describe));
        if (sent is null)
        {
            return (
                null,
                $"a generative output is decided by its rubric: send \"grades\" with one grade per criterion ({names})"
            );
        }
        if (sent.Keys.FirstOrDefault(k => !rubric.Any(c => c.Name == k)) is { } unknown)
        {
            return (
                null,
                $"grades names '{unknown}', which is not a criterion of the rubric; the criteria are {names}"
            );
        }
        var grades = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var criterion in rubric)
        {
            if (!sent.TryGetValue(criterion.Name, out var value))
            {
                return (null, $"grades has no grade for '{criterion.Name}'; send one per criterion ({names})");
            }
            if (Grade(criterion, value) is not { } grade)
            {
                return (
                    null,
                    $"the grade of '{criterion.Name}' is {value.GetRawText()}; it must be {Scale(criterion)}"
                );
            }
            grades[criterion.Name] = grade;
        }
        return (grades, null);
    }

    /// <summary>True when every criterion passes in both or fails in both.</summary>
    public static bool Agree(
        IReadOnlyList<RubricCriterion> rubric,
        IReadOnlyDictionary<string, int> first,
        IReadOnlyDictionary<string, int> second
    ) =>
        rubric.All(c =>
            first.TryGetValue(c.Name, out var a) && second.TryGetValue(c.Name, out var b) && c.Passes(a) == c.Passes(b)
        );

    /// <summary>True when every criterion passes.</summary>
    public static bool AllPass(IReadOnlyList<RubricCriterion> rubric, IReadOnlyDictionary<string, int> grades) =>
        rubric.All(c => grades.TryGetValue(c.Name, out var g) && c.Passes(g));

    /// <summary>The decision recorded for a set of grades: approve when every criterion passes, otherwise reject.</summary>
    public static string Decision(IReadOnlyList<RubricCriterion> rubric, IReadOnlyDictionary<string, int> grades) =>
        AllPass(rubric, grades) ? "approve" : "reject";

    /// <summary>The rubric of a contract when its outputs are graded on one; null otherwise.</summary>
    public static IReadOnlyList<RubricCriterion>? RubricOf(Core.Contracts.Contract contract) =>
        contract.Generative is { Rubric.Count: > 0 } generative ? generative.Rubric : null;

    /// <summary>A grade as shown and exported: "pass"/"fail" on a pass/fail criterion, the number on 1–5.</summary>
    public static object Shown(RubricCriterion criterion, int grade) =>
        criterion.Scale == RubricScale.PassFail ? (grade == 1 ? "pass" : "fail") : grade;

    private static int? Grade(RubricCriterion criterion, JsonElement value) =>
        criterion.Scale switch
        {
            RubricScale.PassFail when value.ValueKind == JsonValueKind.String => value.GetString() switch
            {
                "pass" => 1,
                "fail" => 0,
                _ => null,
            },
            RubricScale.OneToFive
                when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 1 and <= 5 => n,
            _ => null,
        };

    private static string Scale(RubricCriterion criterion) =>
        criterion.Scale == RubricScale.PassFail ? "\"pass\" or \"fail\"" : "a whole number from 1 to 5";

    private static string Describe(RubricCriterion criterion) => $"{criterion.Name}: {Scale(criterion)}";
}
