namespace Overlap.Storage;

/// <summary>The review queue: predictions routed to a person by the contract's <c>review</c> policy.</summary>
public interface IReviewStore
{
    /// <summary>
    /// Routes the feature's predictions stored since the last call: those whose score is in [<paramref name="scoreLow"/>,
    /// <paramref name="scoreHigh"/>] as uncertain, and a deterministic share <paramref name="sample"/> of all the others
    /// (by a hash of the id, so a prediction is sampled or not whatever the order of arrival). A prediction is routed once.
    /// </summary>
    /// <returns>How many predictions were routed now.</returns>
    Task<int> RouteForReviewAsync(string feature, double scoreLow, double scoreHigh, double sample, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decisions with a label whose outcome (<see cref="ReviewDecision.OutcomeId"/>) is not stored: the server stopped between the two
    /// writes. The server appends them when it starts.
    /// </summary>
    Task<IReadOnlyList<ReviewDecision>> UnrecordedDecisionsAsync(CancellationToken cancellationToken = default);

    /// <summary>The predictions a reviewer corrected or rejected: the model was wrong on them, so they are regression cases.</summary>
    Task<IReadOnlySet<string>> RegressionCaseIdsAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>Escalates the feature's items still pending that were routed before <paramref name="before"/>; how many.</summary>
    Task<int> EscalateReviewItemsAsync(string feature, DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Decisions per UTC day over the last <paramref name="days"/> days up to <paramref name="now"/>, oldest first (days without any included).</summary>
    Task<IReadOnlyList<(DateTimeOffset Day, long Decided)>> DecisionsPerDayAsync(string feature, DateTimeOffset now, int days, CancellationToken cancellationToken = default);

    /// <summary>The feature's items in <paramref name="status"/> (null for every status), oldest first, with what the model said.</summary>
    Task<IReadOnlyList<ReviewItem>> ListReviewItemsAsync(string feature, string? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>The feature's queue in figures.</summary>
    Task<ReviewQueueCounts> CountReviewItemsAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>One item with what the model said; null when the prediction was not routed.</summary>
    Task<ReviewItem?> GetReviewItemAsync(string feature, string predictionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Locks an open item for <paramref name="reviewer"/> until <paramref name="until"/>: granted when nobody holds it, the
    /// lock expired, or the reviewer holds it already. The item as it stands after the attempt (null when not routed).
    /// </summary>
    Task<ReviewItem?> ClaimReviewItemAsync(string feature, string predictionId, string reviewer, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a decision by the reviewer who holds the item's lock and closes the item (status decided, lock released);
    /// false, changing nothing, when the reviewer does not hold a live lock on an open item.
    /// </summary>
    Task<bool> DecideReviewItemAsync(ReviewDecision decision, CancellationToken cancellationToken = default);
}

/// <summary>A reviewer's decision: approve, correct (with the right label) or reject, with a failure category and a note.</summary>
public sealed record ReviewDecision(string Feature, string PredictionId, string Reviewer, string Decision, string? Label, string? Category, string? Note, DateTimeOffset DecidedAt)
{
    /// <summary>The id of the outcome a decision records: one per decision, so writing it twice stores it once.</summary>
    public string OutcomeId => $"review:{PredictionId}:{DuckDbEventStore.ToMicroseconds(DecidedAt)}";
}

/// <summary>One routed prediction: why, when, where it stands, and the model's output.</summary>
public sealed record ReviewItem(
    string PredictionId, string Feature, string Reason, DateTimeOffset RoutedAt, string Status, string? ClaimedBy, DateTimeOffset? ClaimExpires,
    DateTimeOffset PredictionTime, double? Score, string? Prediction, string? Inputs, string? Attributes);

/// <summary>A queue in figures: pending items and when the oldest was routed, decided items, by reason.</summary>
public sealed record ReviewQueueCounts(long Pending, DateTimeOffset? OldestPending, long Decided, long Escalated, long Uncertain, long Sampled)
{
    /// <summary>Every item ever routed.</summary>
    public long Total => Uncertain + Sampled;
}
