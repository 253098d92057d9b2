using System.Globalization;
using System.Net;

namespace Overlap.Core.Reports;

/// <summary>Encoding and number formatting shared by the HTML report and its charts.</summary>
internal static class Html
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Text or an attribute value, HTML-encoded (output is also valid XML: numeric entities only).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A metric figure: "—" when undefined, three decimals below 10, grouped digits above.</summary>
    public static string Num(double value)
    {
        if (!double.IsFinite(value))
        {
            return "—";
        }
        var a = Math.Abs(value);
        return a >= 1000 ? value.ToString("#,0", Inv)
            : a >= 10 ? value.ToString("0.#", Inv)
            : value.ToString("0.###", Inv);
    }

    /// <summary>A nullable figure; null reads as "—".</summary>
    public static string Num(double? value) => value is { } v ? Num(v) : "—";

    /// <summary>A count with grouped digits.</summary>
    public static string Count(long value) => value.ToString("#,0", Inv);

    /// <summary>A share as a percentage with at most one decimal.</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? (share * 100).ToString("0.#", Inv) + "%" : "—";

    /// <summary>Money or cost per 1,000 with two decimals.</summary>
    public static string Money(double value) => double.IsFinite(value) ? value.ToString("#,0.00", Inv) : "—";

    /// <summary>"0.806 – 0.935", or an empty string when the interval is unknown.</summary>
    public static string Interval(double low, double high) =>
        double.IsFinite(low) && double.IsFinite(high) ? $"{Num(low)} – {Num(high)}" : string.Empty;

    /// <summary>A nullable interval.</summary>
    public static string Interval(double? low, double? high) => Interval(low ?? double.NaN, high ?? double.NaN);

    /// <summary>A string cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Clip(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>A metric name for people: "false_positive_rate" → "false positive rate".</summary>
    public static string MetricName(string metric) => metric.Replace('_', ' ');
}
