using Overlap.Core.Contracts;

namespace Overlap.Server.Review;

/// <summary>
/// What sends a feature's predictions to people: the score range routed as uncertain, the share sampled (Core's
/// StableSample) and the share a second reviewer decides too.
/// </summary>
internal sealed record ReviewRouting(double ScoreLow, double ScoreHigh, double Sample, double SecondOpinion)
{
    /// <summary>
    /// The contract's routing: a generative feature's outputs go to people by <c>judges.people.sample</c> (no score
    /// rule), with <c>review.second_opinion</c> if written; other tasks by their <c>review</c> policy. Null when
    /// nothing is routed.
    /// </summary>
    public static ReviewRouting? Of(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var review = contract.Review;
        if (contract.Generative is { Judges: { PeopleSample: > 0 } judges })
        {
            return new(
                double.PositiveInfinity,
                double.NegativeInfinity,
                judges.PeopleSample,
                review?.SecondOpinion ?? 0
            );
        }
        return review is null ? null : new(review.ScoreLow, review.ScoreHigh, review.Sample, review.SecondOpinion);
    }
}
