namespace Overlap.Core.Generative;

/// <summary>One of the worst outputs of a generative evaluation: which case it was and every check and criterion it failed, with why.</summary>
/// <param name="Id">The case's id, or null when the contract names no id column.</param>
/// <param name="Row">The data row (1 = the first row of data).</param>
/// <param name="Output">The output's first 200 characters, or null when it is missing.</param>
/// <param name="Failed">One line per failed check or criterion: its name and why ("greets: does not match /^Hi/").</param>
public sealed record OutputFailure(string? Id, int Row, string? Output, IReadOnlyList<string> Failed);
