namespace Overlap.Events;

/// <summary>A user's reaction to a prediction.</summary>
public sealed record FeedbackEvent : FeatureEvent
{
    /// <summary>The id of the prediction it is about.</summary>
    public required string PredictionId { get; init; }

    /// <summary>
    /// The feature of the prediction. Ids are unique per feature, so this says which prediction is meant; when null the
    /// server finds the one feature that has a prediction with this id.
    /// </summary>
    public string? Feature { get; init; }

    /// <summary>thumbs_up, thumbs_down, regenerated, edited, or a kind of the product's own.</summary>
    public required string FeedbackKind { get; init; }

    /// <inheritdoc />
    public override EventKind Kind => EventKind.Feedback;
}
