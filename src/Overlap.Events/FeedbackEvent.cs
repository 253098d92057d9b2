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

    /// <summary>One of <see cref="FeedbackKinds"/> (thumbs_up, thumbs_down, regenerated, edited, copied), or a kind of the product's own.</summary>
    public required string FeedbackKind { get; init; }

    /// <summary>
    /// For <see cref="FeedbackKinds.Edited"/>: the Levenshtein distance (insertions, deletions and substitutions of
    /// UTF-16 characters) between the output and the text the user kept.
    /// </summary>
    public long? EditDistance { get; init; }

    /// <summary>For <see cref="FeedbackKinds.Edited"/>: the length of the text the user kept, in UTF-16 characters.</summary>
    public long? FinalLength { get; init; }

    /// <inheritdoc />
    public override EventKind Kind => EventKind.Feedback;
}
