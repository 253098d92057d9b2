using System.Globalization;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Core.Reports;

/// <summary>
/// Figures for report tables and lines, shared by every renderer so none shows NaN, Infinity or an empty cell: a figure
/// without a value shows why, and the cost line always names the cheapest threshold that keeps the contract.
/// </summary>
public static class FigureText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A figure for a table: four decimals, or "not measurable" when it has no value.</summary>
    public static string Value(double value) =>
        double.IsFinite(value) ? value.ToString("0.####", Inv) : "not measurable";

    /// <summary>An interval for a table: "0.81 – 0.93", or why there is none (the figure's reason, or that the data gives no interval).</summary>
    public static string Interval(double low, double high, string? reason = null) =>
        double.IsFinite(low) && double.IsFinite(high)
            ? $"{low.ToString("0.####", Inv)} – {high.ToString("0.####", Inv)}"
            : reason ?? "no interval on this data";

    /// <summary>
    /// The cost line: the contract threshold's cost, the unconstrained optimum (and which requirements it would break),
    /// and the cheapest threshold that keeps every requirement, or that none does.
    /// </summary>
    public static string Cost(CostSummary cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var line = string.Create(
            Inv,
            $"{cost.CostPer1000:#,0.##} {cost.Currency} per 1,000 decisions at threshold {cost.Threshold:0.###}; {cost.OptimalCostPer1000:#,0.##} at the cost-optimal threshold {cost.OptimalThreshold:0.####}"
        );
        var broken = cost.OptimalEffects?.Where(e => !e.Kept).Select(e => Phrasing.Name(e.Metric)).ToList() ?? [];
        if (broken.Count > 0)
        {
            line += $", which would break the contract on {string.Join(", ", broken)}";
        }
        if (cost.ConstrainedThreshold is { } kept && broken.Count > 0)
        {
            line += string.Create(
                Inv,
                $"; {cost.ConstrainedCostPer1000:#,0.##} at {kept:0.####}, the cheapest threshold that keeps every requirement"
            );
        }
        else if (cost.ConstrainedReason is { } why)
        {
            line += $"; {why}";
        }
        return line + ".";
    }
}
