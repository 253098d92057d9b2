using Overlap.Server.Monitoring.Charts;

namespace Overlap.Server.Monitoring.Generative;

/// <summary>One check or rubric criterion as the generative page shows it.</summary>
/// <param name="Name">The check's or criterion's name.</param>
/// <param name="Kind">"check" or "criterion".</param>
/// <param name="Metric">
/// Its pass rate's metric: <c>check.&lt;name&gt;.pass_rate</c> or <c>rubric.&lt;name&gt;.pass_rate</c>.
/// </param>
/// <param name="About">What it asks: the criterion's question, or what the check asserts.</param>
/// <param name="Latest">The latest window's pass rate with its interval and the outputs behind it, or why none.</param>
/// <param name="Verdict">The latest window's verdict on the contract's requirement on it, or "no requirement".</param>
/// <param name="Statement">The requirement's statement in the contract's words, or what the figure means.</param>
/// <param name="Trend">How the latest figure compares with the window before that had one.</param>
/// <param name="Points">The pass rate per window, oldest first.</param>
public sealed record GenerativeFigure(
    string Name,
    string Kind,
    string Metric,
    string About,
    string Latest,
    string Verdict,
    string Statement,
    string Trend,
    MetricPoint[] Points
);
