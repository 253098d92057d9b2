namespace Overlap.Storage;

/// <summary>
/// A place in a feature's predictions in the order the store received them: the time the store took a prediction,
/// then its id (ordinal) as the tie-break. <see cref="Start"/> is before every prediction.
/// </summary>
/// <param name="Received">When the store took the prediction (to the microsecond).</param>
/// <param name="Id">
/// The prediction's id; the empty string is before every id received at <paramref name="Received"/>.
/// </param>
public readonly record struct ReceivedPosition(DateTimeOffset Received, string Id)
{
    /// <summary>Before every prediction.</summary>
    public static ReceivedPosition Start { get; } = new(DateTimeOffset.UnixEpoch, "");

    /// <summary>Before every prediction received at <paramref name="received"/> or later.</summary>
    public static ReceivedPosition Before(DateTimeOffset received) => new(received, "");
}

/// <summary>
/// A prediction as stored, with what the review queue and the model judge need: its id and time, when the store took
/// it, the model's score (null when none or not finite) and answer, the inputs and attributes (JSON as sent), and a
/// generative feature's output text, and what the contract's workflow did with the call (null when no guard ran it).
/// </summary>
public sealed record StoredPrediction(
    string Id,
    DateTimeOffset Time,
    DateTimeOffset Received,
    double? Score,
    string? Prediction,
    string? Inputs,
    string? Attributes,
    string? Output,
    Overlap.Events.WorkflowTrace? Workflow = null
)
{
    /// <summary>Where this prediction stands in the order of receipt.</summary>
    public ReceivedPosition Position => new(Received, Id);
}
