namespace Overlap.Core.Drift;

/// <summary>A column the drift report did not test.</summary>
/// <param name="Column">The column.</param>
/// <param name="Reason">Why, and how to test it anyway.</param>
public sealed record SkippedColumn(string Column, string Reason);
