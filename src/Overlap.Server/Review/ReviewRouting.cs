using Overlap.Core.Contracts;
using Overlap.Events;

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

    /// <summary>
    /// What routes a feature's predictions once the contract's workflow guard is counted: the contract's routing, or,
    /// when it routes nothing, only the calls the guard escalated or abstained on (<see cref="Storage.ReviewReasons"/>),
    /// which reach people whether or not the contract has a <c>review</c> section.
    /// </summary>
    public static ReviewRouting Guarded(Contract contract) =>
        Of(contract) ?? new(double.PositiveInfinity, double.NegativeInfinity, 0, 0);

    /// <summary>How an item was routed, for a person: "an uncertain score", "an escalation from the contract's workflow"…</summary>
    public static string RoutedAs(string reason) =>
        reason switch
        {
            WorkflowRoutes.Escalate => "an escalation from the contract's workflow",
            WorkflowRoutes.Abstain => "a case the contract's workflow left to a person (uncertain score)",
            "uncertain" => "an uncertain score",
            _ => "part of the random sample",
        };
}
