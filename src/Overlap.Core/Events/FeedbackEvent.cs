namespace Overlap.Core.Events;

/// <summary>A user's reaction to a prediction.</summary>
public sealed record FeedbackEvent : FeatureEvent
{
    /// <summary>The id of the prediction it is about.</summary>
    public required string PredictionId { get; init; }

    /// <summary>thumbs_up, thumbs_down, regenerated, edited, or a kind of the product's own.</summary>
    public required string FeedbackKind { get; init; }

    /// <inheritdoc />
    public override EventKind Kind => EventKind.Feedback;
}
