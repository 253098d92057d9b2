namespace Overlap.Core.Generative;

/// <summary>
/// One grade of one output on one rubric criterion. <see cref="Grade"/> is 1 (pass) or 0 (fail) on a pass/fail
/// criterion and 1–5 on a 1–5 one; null is "no verdict" (a model judge that did not answer in the asked form), which
/// counts toward no metric.
/// </summary>
/// <param name="OutputId">The graded output's id.</param>
/// <param name="Criterion">The criterion's name.</param>
/// <param name="Grade">The grade, or null for no verdict.</param>
/// <param name="Source">Who gave it.</param>
public sealed record RubricGrade(string OutputId, string Criterion, int? Grade, GradeSource Source);
