namespace Overlap.Core.Evaluation;

/// <summary>One output column of a matrix run (<c>overlap eval --outputs</c>) and its full report.</summary>
/// <param name="Output">The output column's name in the case file (a prompt version or model).</param>
/// <param name="Report">That column judged by the contract, as a single evaluation of it would be.</param>
public sealed record OutputColumnReport(string Output, EvaluationReport Report);
