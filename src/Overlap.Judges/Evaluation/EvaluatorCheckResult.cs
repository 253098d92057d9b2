namespace Overlap.Judges.Evaluation;

/// <summary>An evaluator's metric read as a check on one output.</summary>
/// <param name="Passed">True or false, or null when the metric has no value to judge (no verdict).</param>
/// <param name="Value">The metric's number (a boolean as 1/0), or null.</param>
/// <param name="Reason">Why it passed, failed or has no verdict, in words.</param>
public sealed record EvaluatorCheckResult(bool? Passed, double? Value, string Reason);
