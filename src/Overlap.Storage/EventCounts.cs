namespace Overlap.Storage;

/// <summary>How many events of each kind a feature has, and how many predictions have a label.</summary>
public sealed record EventCounts(long Predictions, long Outcomes, long Feedback, long Business, long Labelled);
