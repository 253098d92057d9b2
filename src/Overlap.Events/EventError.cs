namespace Overlap.Events;

/// <summary>Why the event at <paramref name="Index"/> (0-based, in the order sent) was refused.</summary>
public sealed record EventError(int Index, string Error);
