using Overlap.Core.Evaluation;

namespace Overlap.Core.Fairness;

/// <summary>
/// The fairness of predictions that have no label yet: the report (each group's selection rate over every prediction;
/// the rates that need a label undefined) and the contract's fairness bars judged on it, in the fairness section's order.
/// </summary>
/// <param name="Report">The groups and measures.</param>
/// <param name="Requirements">The fairness bars, judged.</param>
public sealed record UnlabelledFairness(FairnessReport Report, IReadOnlyList<RequirementResult> Requirements);
