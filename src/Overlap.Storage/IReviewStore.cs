using Overlap.Core.Generative;
using Overlap.Core.Sampling;

namespace Overlap.Storage;

/// <summary>The review queue: predictions routed to a person by the contract's <c>review</c> policy.</summary>
public interface IReviewStore
{
    /// <summary>
    /// Routes the feature's predictions stored since the last call: those whose score is in [<paramref name="scoreLow"/>,
    /// <paramref name="scoreHigh"/>] as uncertain, and a share <paramref name="sample"/> of all the others picked by
    /// <see cref="StableSample.Takes"/> (so a prediction is sampled or not whatever the order of arrival, by every store).
    /// A prediction is routed once. The routed items <see cref="StableSample.NeedsSecondOpinion"/> picks for the share
    /// <c>secondOpinion</c> need a second reviewer's decision too.
    /// </summary>
    /// <returns>How many predictions were routed now.</returns>
    Task<int> RouteForReviewAsync(
        string feature,
        double scoreLow,
        double scoreHigh,
        double sample,
        double secondOpinion,
        DateTimeOffset now,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Decisions with a label whose outcome (<see cref="ReviewDecision.OutcomeId"/>) is not stored: the server stopped between the two
    /// writes. The server appends them when it starts.
    /// </summary>
    Task<IReadOnlyList<ReviewDecision>> UnrecordedDecisionsAsync(CancellationToken cancellationToken = default);

    /// <summary>The predictions a reviewer corrected or rejected: the model was wrong on them, so they are regression cases.</summary>
    Task<IReadOnlySet<string>> RegressionCaseIdsAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>Escalates the feature's items still waiting (for a first or a second opinion) that were routed before <paramref name="before"/>; how many.</summary>
    Task<int> EscalateReviewItemsAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken = default
    );

    /// <summary>Decisions per UTC day over the last <paramref name="days"/> days up to <paramref name="now"/>, oldest first (days without any included).</summary>
    Task<IReadOnlyList<(DateTimeOffset Day, long Decided)>> DecisionsPerDayAsync(
        string feature,
        DateTimeOffset now,
        int days,
        CancellationToken cancellationToken = default
    );

    /// <summary>The feature's items in <paramref name="status"/> (null for every status), oldest first, with what the model said.</summary>
    Task<IReadOnlyList<ReviewItem>> ListReviewItemsAsync(
        string feature,
        ReviewStatus? status,
        int limit,
        CancellationToken cancellationToken = default
    );

    /// <summary>The feature's queue in figures.</summary>
    Task<ReviewQueueCounts> CountReviewItemsAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>One item with what the model said; null when the prediction was not routed.</summary>
    Task<ReviewItem?> GetReviewItemAsync(
        string feature,
        string predictionId,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Locks an open item for <paramref name="reviewer"/> until <paramref name="until"/>: granted when nobody holds it, the
    /// lock expired, or the reviewer holds it already, and never to a reviewer who decided the item before (a second
    /// opinion comes from someone else). The item as it stands after the attempt (null when not routed).
    /// </summary>
    Task<ReviewItem?> ClaimReviewItemAsync(
        string feature,
        string predictionId,
        string reviewer,
        DateTimeOffset now,
        DateTimeOffset until,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Records a decision by the reviewer who holds the item's lock, releases the lock and moves the item on to
    /// <paramref name="next"/>: decided, second (waiting for a second opinion) or escalated (two opinions disagree; the
    /// item records why); false, changing nothing, when the reviewer does not hold a live lock on an open item.
    /// </summary>
    Task<bool> DecideReviewItemAsync(
        ReviewDecision decision,
        ReviewStatus next,
        CancellationToken cancellationToken = default
    );

    /// <summary>Every decision on one item, in the order they were made.</summary>
    Task<IReadOnlyList<ReviewDecision>> ReviewDecisionsAsync(
        string feature,
        string predictionId,
        CancellationToken cancellationToken = default
    );

    /// <summary>The first two answers (the label, or the decision when it set none) of each item decided twice.</summary>
    Task<IReadOnlyList<(string First, string Second)>> SecondOpinionsAsync(
        string feature,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Every settling decision of the feature (the one whose label counts), oldest first, with the model's score and
    /// prediction as stored: what the review page breaks down by failure category, or by the model's answer and the
    /// reviewer's when the contract names no category.
    /// </summary>
    Task<IReadOnlyList<SettledReview>> SettledReviewsAsync(
        string feature,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// People's rubric grades (<see cref="ReviewDecision.Grades"/>) of the feature's settling decisions on outputs
    /// predicted in [<paramref name="from"/>, <paramref name="to"/>), by output then criterion.
    /// </summary>
    Task<IReadOnlyList<RubricGrade>> ReviewGradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The feature's outputs worth keeping as evaluation cases, oldest first: those with a settling decision's grades, those
    /// whose two reviewers disagreed, and those the user gave a thumbs_down or regenerated.
    /// </summary>
    Task<IReadOnlyList<ReviewedOutput>> ReviewedOutputsAsync(
        string feature,
        CancellationToken cancellationToken = default
    );

    /// <summary>Gives up <paramref name="reviewer"/>'s lock on an item (a reviewer who skips it or leaves the page); nothing when they hold none.</summary>
    Task ReleaseReviewItemAsync(
        string feature,
        string predictionId,
        string reviewer,
        CancellationToken cancellationToken = default
    );
}

/// <summary>A reviewer's decision: approve, correct (with the right label) or reject, with a failure category and a note.</summary>
public sealed record ReviewDecision(
    string Feature,
    string PredictionId,
    string Reviewer,
    string Decision,
    string? Label,
    string? Category,
    string? Note,
    DateTimeOffset DecidedAt
)
{
    /// <summary>
    /// True when the decision settles the item and its label becomes an outcome; false for a first opinion waiting for a
    /// second one, or two opinions that disagree.
    /// </summary>
    public bool Final { get; init; } = true;

    /// <summary>
    /// A generative output's rubric grades by criterion name: 1 (pass) or 0 (fail) on a pass/fail criterion, 1–5 on a
    /// 1–5 one; null for a decision on a label.
    /// </summary>
    public IReadOnlyDictionary<string, int>? Grades { get; init; }

    /// <summary>What the decision says, to compare two opinions: the label, or the decision when it set none.</summary>
    public string Answer => Label ?? Decision;

    /// <summary>The id of the outcome a decision records: one per decision, so writing it twice stores it once.</summary>
    public string OutcomeId => DerivedIds.ReviewOutcome(PredictionId, DecidedAt);
}

/// <summary>
/// One routed prediction: why, when, where it stands (pending, second: waiting for a second opinion, escalated,
/// decided), the model's output, how many opinions it needs, why it was escalated (waited, disagreement), and a
/// generative feature's text output.
/// </summary>
public sealed record ReviewItem(
    string PredictionId,
    string Feature,
    string Reason,
    DateTimeOffset RoutedAt,
    ReviewStatus Status,
    string? ClaimedBy,
    DateTimeOffset? ClaimExpires,
    DateTimeOffset PredictionTime,
    double? Score,
    string? Prediction,
    string? Inputs,
    string? Attributes,
    int Opinions = 1,
    string? EscalatedBecause = null,
    string? Output = null,
    string? WorkflowReason = null
);

/// <summary>
/// A queue in figures: pending items and when the oldest was routed, decided and escalated items, items by reason,
/// items waiting for a second opinion, and items whose two opinions disagreed (resolved or not).
/// </summary>
public sealed record ReviewQueueCounts(
    long Pending,
    DateTimeOffset? OldestPending,
    long Decided,
    long Escalated,
    long Uncertain,
    long Sampled,
    long AwaitingSecond = 0,
    long Disagreements = 0,
    long Workflow = 0
)
{
    /// <summary>Every item ever routed.</summary>
    public long Total => Uncertain + Sampled + Workflow;
}

/// <summary>
/// A production output as reviewed: its inputs, output and attributes as sent, the settling decision's rubric grades
/// (null when none), whether two reviewers disagreed on it, and the user's thumbs_down / regenerated feedback kinds.
/// </summary>
public sealed record ReviewedOutput(
    string PredictionId,
    DateTimeOffset PredictionTime,
    string? Inputs,
    string? Output,
    string? Attributes,
    IReadOnlyDictionary<string, int>? Grades,
    bool Disagreement,
    IReadOnlyList<string> Feedback
);
