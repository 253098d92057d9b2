namespace Overlap.Events;

/// <summary>A parsed batch: the good events with their positions, and why each bad one was refused.</summary>
public sealed class EventBatch
{
    /// <summary>The events that parsed and passed every check, with their 0-based index in the batch.</summary>
    public List<(int Index, FeatureEvent Event)> Events { get; } = [];

    /// <summary>The refused events.</summary>
    public List<EventError> Errors { get; } = [];

    /// <summary>How many events the batch held, good and bad.</summary>
    public int Count { get; internal set; }
}
