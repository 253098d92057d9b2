using Overlap.Core.Generative;

namespace Overlap.Judges;

/// <summary>The answers on every (output, criterion) pair graded in one run, ordered by output then criterion, and their totals.</summary>
/// <param name="Answers">One answer per output and criterion.</param>
public sealed record JudgeRun(IReadOnlyList<JudgeAnswer> Answers)
{
    /// <summary>The grades, to hand to the evaluation (no verdict as a null grade).</summary>
    public IReadOnlyList<RubricGrade> Grades => [.. Answers.Select(a => a.Grade)];

    /// <summary>What the run cost altogether (cached and skipped answers cost nothing).</summary>
    public JudgeUsage Usage => Answers.Aggregate(JudgeUsage.Zero, (sum, a) => sum + a.Usage);

    /// <summary>Answers taken from the cache.</summary>
    public int FromCache => Answers.Count(a => a.FromCache);

    /// <summary>Answers with no verdict, skipped ones included.</summary>
    public int NoVerdict => Answers.Count(a => !a.HasVerdict);

    /// <summary>Outputs not graded because the day's budget was spent.</summary>
    public int SkippedForBudget => Answers.Count(a => a.SkippedForBudget);
}
