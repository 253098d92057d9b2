namespace Overlap.Events;

/// <summary>A downstream business result (a chargeback, a refund, a conversion).</summary>
public sealed record BusinessEvent : FeatureEvent
{
    /// <summary>What was measured.</summary>
    public required string Name { get; init; }

    /// <summary>Its value.</summary>
    public required double Value { get; init; }

    /// <summary>The prediction it follows from, when known.</summary>
    public string? PredictionId { get; init; }

    /// <summary>The feature it belongs to, when not known through the prediction.</summary>
    public string? Feature { get; init; }

    /// <inheritdoc />
    public override EventKind Kind => EventKind.Business;
}
