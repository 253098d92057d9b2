using Overlap.Events;

namespace Overlap.Client;

/// <summary>
/// Feedback on a logged output, by its prediction id (<see
/// cref="OverlapChatExtensions.GetOverlapPredictionId(Microsoft.Extensions.AI.ChatResponse)"/>):
/// <c>overlap.ThumbsDown(id)</c>. Each queues one feedback event with a new id, like every Log method: it returns at
/// once and never throws. The feature may be left out when the prediction id is held by one feature only.
/// </summary>
public static class OverlapFeedbackExtensions
{
    /// <summary>The user asked for another output instead of this one.</summary>
    public static void Regenerated(
        this IOverlapClient client,
        string predictionId,
        string? feature = null,
        DateTimeOffset? time = null
    ) => Send(client, predictionId, FeedbackKinds.Regenerated, feature, time);

    /// <summary>The user marked the output as good.</summary>
    public static void ThumbsUp(
        this IOverlapClient client,
        string predictionId,
        string? feature = null,
        DateTimeOffset? time = null
    ) => Send(client, predictionId, FeedbackKinds.ThumbsUp, feature, time);

    /// <summary>The user marked the output as bad.</summary>
    public static void ThumbsDown(
        this IOverlapClient client,
        string predictionId,
        string? feature = null,
        DateTimeOffset? time = null
    ) => Send(client, predictionId, FeedbackKinds.ThumbsDown, feature, time);

    /// <summary>The user copied the output.</summary>
    public static void Copied(
        this IOverlapClient client,
        string predictionId,
        string? feature = null,
        DateTimeOffset? time = null
    ) => Send(client, predictionId, FeedbackKinds.Copied, feature, time);

    /// <summary>
    /// The user changed the output <paramref name="originalText"/> into <paramref name="finalText"/> before using it:
    /// logged with their Levenshtein distance (<see cref="EditDistance.Levenshtein"/>) and the final text's length; the
    /// texts themselves are not sent.
    /// </summary>
    public static void Edited(
        this IOverlapClient client,
        string predictionId,
        string originalText,
        string finalText,
        string? feature = null,
        DateTimeOffset? time = null
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        client.LogFeedback(
            Event(predictionId, FeedbackKinds.Edited, feature, time) with
            {
                EditDistance = EditDistance.Levenshtein(originalText ?? "", finalText ?? ""),
                FinalLength = (finalText ?? "").Length,
            }
        );
    }

    private static void Send(
        IOverlapClient client,
        string predictionId,
        string kind,
        string? feature,
        DateTimeOffset? time
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        client.LogFeedback(Event(predictionId, kind, feature, time));
    }

    private static FeedbackEvent Event(string predictionId, string kind, string? feature, DateTimeOffset? time) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            Time = time ?? TimeProvider.System.GetUtcNow(),
            PredictionId = predictionId,
            Feature = feature,
            FeedbackKind = kind,
        };
}
