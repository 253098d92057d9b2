namespace Overlap.Server.Monitoring.Generative;

/// <summary>One window's failure categories: its outputs, how many were reviewed, and one cell per category.</summary>
/// <param name="Start">The window's start.</param>
/// <param name="Outputs">Outputs in the window.</param>
/// <param name="Reviewed">Of those, the ones with a settled review decision.</param>
/// <param name="Cells">Per contract category, in its order: "2 (25%, 7% to 59%)", or why there is no share.</param>
public sealed record CategoryWindow(DateTimeOffset Start, int Outputs, int Reviewed, IReadOnlyList<string> Cells);
