using Overlap.Storage;

namespace Overlap.Server.Review;

/// <summary>
/// A review item as the API writes it: the prediction, why it was routed (uncertain, sampled) and when, its status
/// (pending, second, decided, escalated), who holds it and until when, how many opinions it needs, why it was escalated,
/// a generative feature's output text (what the reviewer grades), and, for a call the contract's workflow guard sent to
/// people (reason escalate or abstain), the guard's reason.
/// </summary>
public sealed record ReviewItemView(
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
    int Opinions,
    string? EscalatedBecause,
    string? Output = null,
    string? WorkflowReason = null
)
{
    /// <summary>The view of a stored item.</summary>
    public static ReviewItemView Of(ReviewItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(
            item.PredictionId,
            item.Feature,
            item.Reason,
            item.RoutedAt,
            item.Status,
            item.ClaimedBy,
            item.ClaimExpires,
            item.PredictionTime,
            item.Score,
            item.Prediction,
            item.Inputs,
            item.Attributes,
            item.Opinions,
            item.EscalatedBecause,
            item.Output,
            item.WorkflowReason
        );
    }
}

/// <summary>
/// A queue in figures as the API writes it: pending items and when the oldest was routed, decided and escalated items,
/// items by reason (uncertain, sampled, sent by the workflow's guard), items waiting for a second opinion, items whose
/// two opinions disagreed, and every item ever routed.
/// </summary>
public sealed record ReviewCountsView(
    long Pending,
    DateTimeOffset? OldestPending,
    long Decided,
    long Escalated,
    long Uncertain,
    long Sampled,
    long AwaitingSecond,
    long Disagreements,
    long Total,
    long Workflow = 0
)
{
    /// <summary>The view of stored counts.</summary>
    public static ReviewCountsView Of(ReviewQueueCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new(
            counts.Pending,
            counts.OldestPending,
            counts.Decided,
            counts.Escalated,
            counts.Uncertain,
            counts.Sampled,
            counts.AwaitingSecond,
            counts.Disagreements,
            counts.Total,
            counts.Workflow
        );
    }
}
