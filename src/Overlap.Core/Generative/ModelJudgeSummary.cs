using Overlap.Core.Statements;

namespace Overlap.Core.Generative;

/// <summary>
/// What the model judge did in an evaluation: whether it ran (and why not), how many grades it gave, what they cost,
/// and per criterion whether it agrees with people well enough for its grades to count.
/// </summary>
public sealed record ModelJudgeSummary
{
    /// <summary>The judge's model as the contract names it (<c>env:NAME</c> kept as written, never a resolved key).</summary>
    public required string Model { get; init; }

    /// <summary>Why the judge did not run; null when it ran.</summary>
    public string? NotRun { get; init; }

    /// <summary>Grades asked for (outputs × criteria).</summary>
    public int Asked { get; init; }

    /// <summary>Answers with a verdict.</summary>
    public int Graded { get; init; }

    /// <summary>Answers without one (malformed after retries, or the endpoint failed), which count toward nothing.</summary>
    public int NoVerdict { get; init; }

    /// <summary>Answers read from the cache, which cost nothing.</summary>
    public int FromCache { get; init; }

    /// <summary>Grades not asked because the day's budget was spent.</summary>
    public int SkippedForBudget { get; init; }

    /// <summary>Tokens, cost and waiting time, in words.</summary>
    public string? Usage { get; init; }

    /// <summary>Per criterion: how far the model agrees with people on the outputs both graded.</summary>
    public IReadOnlyList<JudgeAgreement> Agreements { get; init; } = [];

    /// <summary>The criteria on which the model's grades counted toward the verdicts.</summary>
    public IReadOnlyList<string> Counted { get; init; } = [];

    /// <summary>What the judge did, in sentences for every report: whether it ran, its grades and cost, its agreement per criterion.</summary>
    public IReadOnlyList<string> Lines()
    {
        if (NotRun is { } reason)
        {
            return
            [
                $"The model judge ({Model}) did not run: {reason.TrimEnd('.')}. People's grades and the checks decide.",
            ];
        }
        var extras = new List<string>();
        if (FromCache > 0)
        {
            extras.Add($"{FromCache} from the cache");
        }
        if (NoVerdict > 0)
        {
            extras.Add($"{Phrasing.Count(NoVerdict, "answer")} without a verdict, counted nowhere");
        }
        if (SkippedForBudget > 0)
        {
            extras.Add($"{SkippedForBudget} not asked: the day's budget was spent");
        }
        var lines = new List<string>
        {
            $"The model judge ({Model}) gave {Graded} of {Phrasing.Count(Asked, "grade")} asked"
                + (extras.Count > 0 ? $" ({string.Join("; ", extras)})" : "")
                + (Usage is { Length: > 0 } usage ? $"; {usage.TrimEnd('.')}." : "."),
        };
        lines.AddRange(Agreements.Select(a => a.Statement));
        lines.Add(
            Counted.Count > 0
                ? $"Its grades count toward the verdicts on {string.Join(", ", Counted)}, where people did not grade."
                : "Its grades count toward no verdict: on every criterion people's grades alone decide."
        );
        return lines;
    }
}
