namespace Overlap.Core.Contracts;

/// <summary>What production windows are compared with for drift: a period, or a data file.</summary>
/// <param name="From">Start of the reference period (inclusive).</param>
/// <param name="To">End of the reference period (exclusive).</param>
/// <param name="Data">A reference data file instead of a period.</param>
public sealed record ReferencePeriod(DateTimeOffset? From, DateTimeOffset? To, string? Data);
