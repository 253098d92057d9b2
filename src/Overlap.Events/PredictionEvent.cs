namespace Overlap.Events;

/// <summary>The model scored an input for a feature.</summary>
public sealed record PredictionEvent : FeatureEvent
{
    /// <summary>The feature's slug.</summary>
    public required string Feature { get; init; }

    /// <summary>Which model made it.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The model's score (a probability for a binary feature).</summary>
    public double? Score { get; init; }

    /// <summary>The decision or class the product acted on, as text.</summary>
    public string? Prediction { get; init; }

    /// <summary>How long the model took, in milliseconds.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>What the call cost.</summary>
    public double? Cost { get; init; }

    /// <summary>The model's inputs, a JSON object as text.</summary>
    public string? InputsJson { get; init; }

    /// <summary>Anything else (segments such as country or channel), a JSON object as text.</summary>
    public string? AttributesJson { get; init; }

    /// <inheritdoc />
    public override EventKind Kind => EventKind.Prediction;
}
