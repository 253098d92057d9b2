namespace Overlap.Events;

/// <summary>The true label of an earlier prediction.</summary>
public sealed record OutcomeEvent : FeatureEvent
{
    /// <summary>The id of the prediction this labels.</summary>
    public required string PredictionId { get; init; }

    /// <summary>
    /// The feature of the prediction. Ids are unique per feature, so this says which prediction is meant; when null the
    /// server finds the one feature that has a prediction with this id.
    /// </summary>
    public string? Feature { get; init; }

    /// <summary>The label as text ("1", "spam").</summary>
    public required string Label { get; init; }

    /// <summary>Who gave the label: null for the product's own outcome, "review" for a person's decision.</summary>
    public string? Source { get; init; }

    /// <inheritdoc />
    public override EventKind Kind => EventKind.Outcome;
}
