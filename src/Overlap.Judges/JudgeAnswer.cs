using Overlap.Core.Generative;

namespace Overlap.Judges;

/// <summary>
/// The model judge's answer on one output and one criterion. <see cref="Grade"/> holds the grade, null when there is
/// no verdict (a malformed answer after its retries, an endpoint that kept failing, or a spent budget), in which case
/// <see cref="Reason"/> says why.
/// </summary>
/// <param name="Grade">The grade (source <see cref="GradeSource.Model"/>), its value null for no verdict.</param>
/// <param name="Reason">The judge's reason for its grade, or why there is no verdict.</param>
/// <param name="Usage">What this answer cost.</param>
/// <param name="FromCache">True when the answer came from the cache (no call, nothing spent).</param>
/// <param name="SkippedForBudget">True when the output was not graded because the day's budget was spent.</param>
public sealed record JudgeAnswer(
    RubricGrade Grade,
    string Reason,
    JudgeUsage Usage,
    bool FromCache = false,
    bool SkippedForBudget = false
)
{
    /// <summary>True when the judge gave a grade.</summary>
    public bool HasVerdict => Grade.Grade is not null;
}
