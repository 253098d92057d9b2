namespace Overlap.Server.Monitoring.Charts;

/// <summary>The key metric per segment value against the figure over everything ('all').</summary>
/// <param name="Metric">The metric.</param>
/// <param name="All">The figure over every labelled example.</param>
/// <param name="AllLow">Its interval's lower bound.</param>
/// <param name="AllHigh">Its interval's upper bound.</param>
/// <param name="Points">Each segment value, by column then value.</param>
/// <param name="Confidence">The intervals' confidence (0.95).</param>
public sealed record SegmentChartData(
    string Metric,
    double? All,
    double? AllLow,
    double? AllHigh,
    SegmentPoint[] Points,
    double Confidence
);
