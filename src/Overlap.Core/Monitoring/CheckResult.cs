namespace Overlap.Core.Monitoring;

/// <summary>One check of a window: a requirement, or the data set's drift.</summary>
/// <param name="Check">The check's name, stable across windows ("recall min 0.7", "data drift").</param>
/// <param name="State">Where it stands.</param>
/// <param name="Statement">Why, in plain words.</param>
public sealed record CheckResult(string Check, AlertState State, string Statement);
