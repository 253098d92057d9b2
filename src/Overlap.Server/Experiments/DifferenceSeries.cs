namespace Overlap.Server.Experiments;

/// <summary>One metric's cumulative difference day by day, as the experiment page's chart draws it.</summary>
/// <param name="Metric">The metric as people read it ("recall", "latency p95").</param>
/// <param name="Unit">What the difference is drawn in: "points" for a rate, the metric's unit otherwise (may be empty).</param>
/// <param name="Points">One per day since the start, oldest first.</param>
/// <param name="Margin">A guardrail's margin on its worse side (−5 for a rate that must not fall by 5 points); null for a primary metric.</param>
public sealed record DifferenceSeries(string Metric, string Unit, IReadOnlyList<DifferencePoint> Points, double? Margin)
{
    /// <summary>Whether any day has a figure to draw.</summary>
    public bool HasFigure => Points.Any(p => p.Estimate is not null);
}
