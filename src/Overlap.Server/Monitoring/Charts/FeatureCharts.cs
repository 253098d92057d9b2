using System.Globalization;

namespace Overlap.Server.Monitoring.Charts;

/// <summary>
/// Turns a feature's reports into what its page draws and says: small JSON-safe records for the charts (no NaN: a
/// missing figure is null) and a sentence per chart that states its figures, the same figures the API returns.
/// </summary>
internal static partial class FeatureCharts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The value, or null when it is NaN or infinite.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>The value, or null when it is missing, NaN or infinite.</summary>
    public static double? Finite(double? value) => value is { } v ? Finite(v) : null;

    /// <summary>A window's start as the windows table shows it, "2026-11-20 00:00".</summary>
    public static string When(DateTimeOffset start) => start.ToString("yyyy-MM-dd HH:mm", Invariant);

    /// <summary>The id of a window's row in the windows table, for links from the retrain evidence.</summary>
    public static string Anchor(DateTimeOffset start) => "window-" + start.ToString("yyyy-MM-dd'T'HH-mm", Invariant);

    /// <summary>"each day" for a window of 1d, "each hour" for 1h, "each window of 15m" otherwise.</summary>
    public static string Each(string window) =>
        window switch
        {
            "1d" => "each day",
            "1h" => "each hour",
            "7d" or "1w" => "each week",
            _ => $"each window of {window}",
        };

    /// <summary>
    /// Text from the data (a segment value, a category) as Plotly draws it literally: Plotly reads tags such as
    /// <c>&lt;a href=…&gt;</c> and <c>&lt;br&gt;</c> in labels, legends and hover text, and decodes entities only after
    /// it has found the tags, so &amp;, &lt; and &gt; written as entities show as themselves and make no link.
    /// </summary>
    public static string PlainText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny("&<>") < 0
            ? text
            : text.Replace("&", "&amp;", StringComparison.Ordinal)
                .Replace("<", "&lt;", StringComparison.Ordinal)
                .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private static string Count(long n) => n.ToString("#,0", Invariant);

    private static string Money(double value) => value.ToString("#,0.##", Invariant);

    private static string Threshold(double value) => value.ToString("0.###", Invariant);

    private static string Ms(double value) => value.ToString("#,0.#", Invariant) + " ms";
}
