namespace Overlap.Judges;

/// <summary>One output to grade: what the feature was asked, what it answered, and optionally a reference answer.</summary>
/// <param name="Id">The output's id (the case's id column).</param>
/// <param name="Input">What the feature was given (the question, the ticket).</param>
/// <param name="Output">What the feature produced, the text being graded.</param>
/// <param name="Reference">A reference answer to compare with, if the case set has one.</param>
public sealed record JudgeCase(string Id, string Input, string Output, string? Reference = null);
