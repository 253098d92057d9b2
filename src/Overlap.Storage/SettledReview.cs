namespace Overlap.Storage;

/// <summary>A settling review decision with the prediction it decided: the decision, the label it recorded, its failure category, and the model's score and prediction.</summary>
public sealed record SettledReview(
    string PredictionId,
    string Decision,
    string? Label,
    string? Category,
    double? Score,
    string? Prediction
);
