namespace Overlap.Events;

/// <summary>One event: every kind has an id (a second delivery of the same id is a no-op) and a time.</summary>
public abstract record FeatureEvent
{
    /// <summary>The sender's id for the event, unique per kind.</summary>
    public required string Id { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Which kind of event this is.</summary>
    public abstract EventKind Kind { get; }
}
