namespace Overlap.Events;

/// <summary>The model scored an input for a feature.</summary>
public sealed record PredictionEvent : FeatureEvent
{
    /// <summary>The feature's slug.</summary>
    public required string Feature { get; init; }

    /// <summary>
    /// Which model made it. For a generative feature, the prompt as "name@version" (the version is what follows the last
    /// '@'), so windows and reviews compare prompt versions; the language model itself is in <see cref="Model"/>.
    /// </summary>
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

    /// <summary>A generative call's output text (the reply, the summary), as the user saw it.</summary>
    public string? Output { get; init; }

    /// <summary>The tokens the call read (its prompt), as the provider counted them.</summary>
    public long? InputTokens { get; init; }

    /// <summary>The tokens the call wrote, as the provider counted them.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>The conversation (chat thread, session) the call belongs to.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The language model that answered (e.g. gpt-4o-mini), as the provider named it.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// Why the call failed, when it did: the exception's type name (e.g. HttpRequestException) or the error type an
    /// OpenTelemetry span reported. A failed call has no output; it still counts as a call.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>What the contract's workflow did with the call (route, attempts, failed checks), when a guard ran it.</summary>
    public WorkflowTrace? Workflow { get; init; }

    /// <inheritdoc />
    public override EventKind Kind => EventKind.Prediction;
}
