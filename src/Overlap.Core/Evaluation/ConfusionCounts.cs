namespace Overlap.Core.Evaluation;

/// <summary>The binary confusion matrix.</summary>
/// <param name="Tp">Positives flagged.</param>
/// <param name="Fp">Negatives flagged.</param>
/// <param name="Fn">Positives missed.</param>
/// <param name="Tn">Negatives left alone.</param>
public sealed record ConfusionCounts(long Tp, long Fp, long Fn, long Tn);
