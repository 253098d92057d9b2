namespace Overlap.Core.Monitoring;

/// <summary>
/// Stored rows (or values of them) a report could not use, with why: for example a label the contract does not
/// name, or a score outside 0 to 1. They are left out of the figures and counted here, never a failure of the report.
/// </summary>
/// <param name="Count">How many rows or values.</param>
/// <param name="Reason">What is wrong with them, in words ("label 'x' is not a label of contract version 3").</param>
public sealed record LeftOut(long Count, string Reason);
