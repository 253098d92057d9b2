namespace Overlap.Core.Contracts;

/// <summary>When monitoring recommends retraining.</summary>
/// <param name="FailedWindows">Consecutive windows with a failed requirement.</param>
/// <param name="DriftedWindows">Consecutive windows with dataset drift.</param>
public sealed record RetrainPolicy(int? FailedWindows, int? DriftedWindows);
