namespace Overlap.Core.Planning;

/// <summary>A requirement a plan does not size, and why.</summary>
/// <param name="Metric">The requirement's metric.</param>
/// <param name="Line">Its line in the contract.</param>
/// <param name="Reason">Why it is not sized.</param>
public sealed record SkippedRequirement(string Metric, int Line, string Reason);
