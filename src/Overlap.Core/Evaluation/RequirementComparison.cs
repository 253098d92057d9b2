namespace Overlap.Core.Evaluation;

/// <summary>One requirement as each run judged it; a side is null when that run's contract did not have it.</summary>
/// <param name="Requirement">The bar, as "recall ≥ 0.7".</param>
/// <param name="A">Run A's judgement.</param>
/// <param name="B">Run B's judgement.</param>
/// <param name="Changed">True when the verdicts differ.</param>
public sealed record RequirementComparison(
    string Requirement,
    RequirementResult? A,
    RequirementResult? B,
    bool Changed
);
