using Overlap.Core.Evaluation;
using Overlap.Core.Fairness;

namespace Overlap.Core.Reports;

/// <summary>The cells of the fairness tables, shared by the Markdown and HTML reports, the terminal and the dashboard, so none shows NaN.</summary>
public static class FairnessText
{
    /// <summary>A group's rate with its interval ("0.31 (0.27 – 0.35)"), or why it has none.</summary>
    public static string Rate(MetricValue rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return double.IsFinite(rate.Value)
            ? $"{FigureText.Value(rate.Value)} ({FigureText.Interval(rate.CiLow, rate.CiHigh)})"
            : "none to measure";
    }

    /// <summary>A group's calibration error, or "—" without a score.</summary>
    public static string Calibration(FairnessGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.CalibrationError is { } e && double.IsFinite(e) ? FigureText.Value(e) : "—";
    }

    /// <summary>The measure's verdict word, or "no bar" when the contract sets none.</summary>
    public static string Verdict(FairnessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Verdict is { } v ? VerdictText.Mark(v) : "no bar";
    }

    /// <summary>"min 0.8", "max 0.1", or "—".</summary>
    public static string Bar(FairnessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result switch
        {
            { Min: { } min } => $"min {FigureText.Value(min)}",
            { Max: { } max } => $"max {FigureText.Value(max)}",
            _ => "—",
        };
    }

    /// <summary>The measure's name in words: "selection rate ratio".</summary>
    public static string Name(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return metric.Replace('_', ' ');
    }
}
