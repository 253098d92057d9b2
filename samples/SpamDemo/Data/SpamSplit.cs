using Overlap.Demo.Corpus;

namespace Overlap.Demo.Data;

/// <summary>
/// The corpus cut in time for the demo: the earliest mail is the model's past (a training set and a held-out set
/// drawn from the same weeks, for the evaluation before release); everything after it is production.
/// </summary>
/// <param name="Train">The early messages the model learns from, in date order.</param>
/// <param name="Holdout">The early messages kept out of training, in date order.</param>
/// <param name="Production">Every later message, in date order: what the replay sends.</param>
public sealed record SpamSplit(
    IReadOnlyList<SpamMessage> Train,
    IReadOnlyList<SpamMessage> Holdout,
    IReadOnlyList<SpamMessage> Production
)
{
    /// <summary>
    /// The first date of the early period (training and held-out mail). Forged dates in spam reach back to 1997; the
    /// contract's reference starts at 2001-06-01, which covers 99% of the early mail.
    /// </summary>
    public DateTimeOffset EarlyFrom => Train.Concat(Holdout).Min(m => m.Date!.Value);

    /// <summary>The first date of production: the early period ends just before it.</summary>
    public DateTimeOffset ProductionFrom => Production.Count > 0 ? Production[0].Date!.Value : DateTimeOffset.MaxValue;
}
