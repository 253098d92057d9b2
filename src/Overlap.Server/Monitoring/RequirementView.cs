using Overlap.Core.Evaluation;
using Overlap.Server.Monitoring.Charts;

namespace Overlap.Server.Monitoring;

/// <summary>
/// A requirement that fails or is unsettled over the range, and what the feature page draws of it: its metric per
/// window (for a <c>by:</c> requirement, the deciding segment's) against the bar, and the metric per segment.
/// </summary>
/// <param name="Name">The requirement's stable name, as alerts name it ("false_positive_rate max 0.05").</param>
/// <param name="Result">The requirement judged over the range.</param>
/// <param name="Series">What the first chart follows: "false positive rate", "recall for tier = basic".</param>
/// <param name="Bar">The bar drawn on the chart over time; null for a max_gap (its bar moves with the figure overall).</param>
/// <param name="Points">The metric per window, oldest first.</param>
/// <param name="Segments">The metric per segment over the range, with each segment's bar; null when there is nothing to split.</param>
/// <param name="Statement">What the section shows, in words, with the figure that decided the verdict.</param>
public sealed record RequirementView(
    string Name,
    RequirementResult Result,
    string Series,
    double? Bar,
    MetricPoint[] Points,
    SegmentChartData? Segments,
    string Statement
);
