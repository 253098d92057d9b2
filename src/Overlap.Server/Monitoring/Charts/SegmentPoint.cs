namespace Overlap.Server.Monitoring.Charts;

/// <summary>One segment value's figure with its interval, and whether the interval is wholly on the wrong side of the contract's bar.</summary>
/// <param name="Column">The segment column.</param>
/// <param name="Value">The column's value.</param>
/// <param name="N">Labelled examples behind the figure.</param>
/// <param name="Figure">The metric; null when undefined.</param>
/// <param name="Low">Lower bound of the interval.</param>
/// <param name="High">Upper bound of the interval.</param>
/// <param name="Bar">The contract's bar for this segment: the column's own <c>by:</c> requirement, else the overall one; null when none.</param>
/// <param name="MissesBar">True when the whole interval lies below a <c>min</c> bar (or above a <c>max</c>): the segment fails it.</param>
public sealed record SegmentPoint(
    string Column,
    string Value,
    long N,
    double? Figure,
    double? Low,
    double? High,
    double? Bar,
    bool MissesBar
)
{
    /// <summary>The label on the chart's axis, "channel = web".</summary>
    public string Label => $"{Column} = {Value}";

    /// <summary>The label as a chart draws it: <see cref="Label"/> as plain text, never Plotly markup (a value may hold anything).</summary>
    public string ChartLabel => FeatureCharts.PlainText(Label);
}
