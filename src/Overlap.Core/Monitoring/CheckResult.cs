namespace Overlap.Core.Monitoring;

/// <summary>One check of a window: a requirement, or the data set's drift.</summary>
/// <param name="Check">The check's name, stable across windows ("recall min 0.7", "data drift").</param>
/// <param name="State">Where it stands.</param>
/// <param name="Statement">Why, in plain words.</param>
/// <param name="JudgedFrom">Where the data the check judged starts (a requirement: the range; drift: the window).</param>
/// <param name="JudgedTo">Where it ends (exclusive).</param>
public sealed record CheckResult(
    string Check,
    AlertState State,
    string Statement,
    DateTimeOffset? JudgedFrom = null,
    DateTimeOffset? JudgedTo = null
);
