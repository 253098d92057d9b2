using System.Globalization;
using System.Text;

namespace Overlap.Core.Reports;

/// <summary>
/// A small inline SVG chart: a plot area inside margins, linear scales, axes with ticks, and marks
/// (lines, areas, bars, whiskers, points, labels). Colours come from CSS classes so that the page's
/// light and dark palettes apply; every text is HTML-encoded.
/// </summary>
internal sealed class Svg
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly StringBuilder body = new();
    private readonly double width;
    private readonly double height;
    private readonly string label;
    private double x0;
    private double x1 = 1;
    private double y0;
    private double y1 = 1;

    /// <summary>A chart of the given view-box size; the plot area is inside the margins.</summary>
    public Svg(
        double width,
        double height,
        string label,
        double left = 44,
        double right = 14,
        double top = 14,
        double bottom = 34
    )
    {
        this.width = width;
        this.height = height;
        this.label = label;
        Left = left;
        Right = width - right;
        Top = top;
        Bottom = height - bottom;
    }

    /// <summary>Left edge of the plot area.</summary>
    public double Left { get; }

    /// <summary>Right edge of the plot area.</summary>
    public double Right { get; }

    /// <summary>Top edge of the plot area.</summary>
    public double Top { get; }

    /// <summary>Bottom edge of the plot area.</summary>
    public double Bottom { get; }

    /// <summary>Sets the horizontal domain.</summary>
    public Svg XDomain(double lo, double hi)
    {
        (x0, x1) = hi > lo ? (lo, hi) : (lo - 0.5, lo + 0.5);
        return this;
    }

    /// <summary>Sets the vertical domain.</summary>
    public Svg YDomain(double lo, double hi)
    {
        (y0, y1) = hi > lo ? (lo, hi) : (lo - 0.5, lo + 0.5);
        return this;
    }

    /// <summary>A data x to a view-box x.</summary>
    public double X(double v) => Left + ((Math.Clamp(v, x0, x1) - x0) / (x1 - x0) * (Right - Left));

    /// <summary>A data y to a view-box y.</summary>
    public double Y(double v) => Bottom - ((Math.Clamp(v, y0, y1) - y0) / (y1 - y0) * (Bottom - Top));

    /// <summary>Grid lines and tick labels on both axes, with optional axis titles.</summary>
    public Svg Axes(
        IReadOnlyList<double> xTicks,
        IReadOnlyList<double> yTicks,
        Func<double, string> xFormat,
        Func<double, string> yFormat,
        string? xTitle = null,
        string? yTitle = null
    )
    {
        foreach (var t in yTicks)
        {
            var y = Y(t);
            Raw($"<line class=\"grid\" x1=\"{N(Left)}\" y1=\"{N(y)}\" x2=\"{N(Right)}\" y2=\"{N(y)}\"/>");
            Text(Left - 6, y + 3.5, yFormat(t), "tick", "end");
        }
        foreach (var t in xTicks)
        {
            var x = X(t);
            Raw($"<line class=\"grid\" x1=\"{N(x)}\" y1=\"{N(Top)}\" x2=\"{N(x)}\" y2=\"{N(Bottom)}\"/>");
            Text(x, Bottom + 14, xFormat(t), "tick", "middle");
        }
        Raw($"<line class=\"axis\" x1=\"{N(Left)}\" y1=\"{N(Bottom)}\" x2=\"{N(Right)}\" y2=\"{N(Bottom)}\"/>");
        if (xTitle is not null)
        {
            Text((Left + Right) / 2, height - 4, xTitle, "axis-title", "middle");
        }
        if (yTitle is not null)
        {
            var cy = (Top + Bottom) / 2;
            Raw(
                $"<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(11 {N(cy)}) rotate(-90)\">{Html.E(yTitle)}</text>"
            );
        }
        return this;
    }

    /// <summary>A polyline through finite points.</summary>
    public Svg Line(IEnumerable<(double X, double Y)> points, string cls, string? title = null)
    {
        var d = Path(points);
        if (d.Length > 0)
        {
            Raw($"<path class=\"{cls}\" d=\"{d}\">{Title(title)}</path>");
        }
        return this;
    }

    /// <summary>The area between a curve and the bottom of the plot.</summary>
    public Svg Area(IEnumerable<(double X, double Y)> points, string cls)
    {
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (finite.Count < 2)
        {
            return this;
        }
        var d = new StringBuilder();
        d.Append(Inv, $"M{N(X(finite[0].X))} {N(Bottom)}");
        foreach (var (x, y) in finite)
        {
            d.Append(Inv, $"L{N(X(x))} {N(Y(y))}");
        }
        d.Append(Inv, $"L{N(X(finite[^1].X))} {N(Bottom)}Z");
        Raw($"<path class=\"{cls}\" d=\"{d}\"/>");
        return this;
    }

    /// <summary>A rectangle in view-box units.</summary>
    public Svg Rect(double x, double y, double w, double h, string cls, string? title = null, double radius = 0)
    {
        if (w <= 0 || h <= 0 || !double.IsFinite(w) || !double.IsFinite(h))
        {
            return this;
        }
        var r = radius > 0 ? $" rx=\"{N(Math.Min(radius, Math.Min(w, h) / 2))}\"" : string.Empty;
        Raw(
            $"<rect class=\"{cls}\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\"{r}>{Title(title)}</rect>"
        );
        return this;
    }

    /// <summary>A straight segment in view-box units.</summary>
    public Svg Segment(double xa, double ya, double xb, double yb, string cls)
    {
        Raw($"<line class=\"{cls}\" x1=\"{N(xa)}\" y1=\"{N(ya)}\" x2=\"{N(xb)}\" y2=\"{N(yb)}\"/>");
        return this;
    }

    /// <summary>A vertical interval whisker with caps, in data units.</summary>
    public Svg VWhisker(double x, double lo, double hi, string cls, double cap = 3)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            return this;
        }
        var px = X(x);
        var (a, b) = (Y(lo), Y(hi));
        return Segment(px, a, px, b, cls).Segment(px - cap, a, px + cap, a, cls).Segment(px - cap, b, px + cap, b, cls);
    }

    /// <summary>A horizontal interval whisker with caps at view-box height <paramref name="y"/>, in data units.</summary>
    public Svg HWhisker(double y, double lo, double hi, string cls, double cap = 3)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            return this;
        }
        var (a, b) = (X(lo), X(hi));
        return Segment(a, y, b, y, cls).Segment(a, y - cap, a, y + cap, cls).Segment(b, y - cap, b, y + cap, cls);
    }

    /// <summary>A point in view-box units.</summary>
    public Svg Dot(double x, double y, double r, string cls, string? title = null)
    {
        if (double.IsFinite(x) && double.IsFinite(y))
        {
            Raw($"<circle class=\"{cls}\" cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\">{Title(title)}</circle>");
        }
        return this;
    }

    /// <summary>A label in view-box units.</summary>
    public Svg Text(double x, double y, string text, string cls, string anchor = "start", string? title = null)
    {
        Raw(
            $"<text class=\"{cls}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\">{Title(title)}{Html.E(text)}</text>"
        );
        return this;
    }

    /// <summary>Markup added as is (callers encode their text).</summary>
    public Svg Raw(string markup)
    {
        body.Append(markup);
        return this;
    }

    /// <summary>The finished &lt;svg&gt; element, scaling to its container's width.</summary>
    public override string ToString() =>
        $"<svg class=\"chart\" viewBox=\"0 0 {N(width)} {N(height)}\" role=\"img\" aria-label=\"{Html.E(label)}\" preserveAspectRatio=\"xMidYMid meet\"><title>{Html.E(label)}</title>{body}</svg>";

    /// <summary>A view-box coordinate: at most one decimal, invariant.</summary>
    public static string N(double v) => double.IsFinite(v) ? Math.Round(v, 1).ToString("0.#", Inv) : "0";

    /// <summary>About <paramref name="count"/> round tick values (steps of 1, 2 or 5 × 10^k) covering [lo, hi].</summary>
    public static IReadOnlyList<double> Ticks(double lo, double hi, int count = 5)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi <= lo)
        {
            return double.IsFinite(lo) ? [lo] : [];
        }
        var raw = (hi - lo) / Math.Max(1, count);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step =
            (raw / magnitude) switch
            {
                < 1.5 => 1,
                < 3.5 => 2,
                < 7.5 => 5,
                _ => 10,
            } * magnitude;
        var ticks = new List<double>();
        for (var t = Math.Ceiling((lo / step) - 1e-9) * step; t <= hi + (step * 1e-9); t += step)
        {
            ticks.Add(Math.Round(t, 10) + 0.0);
        }
        return ticks;
    }

    /// <summary>The upper end of a "nice" axis at or above <paramref name="max"/>.</summary>
    public static double NiceMax(double max)
    {
        if (!double.IsFinite(max) || max <= 0)
        {
            return 1;
        }
        var ticks = Ticks(0, max, 4);
        var step = ticks.Count > 1 ? ticks[1] - ticks[0] : max;
        return Math.Ceiling((max / step) - 1e-9) * step;
    }

    /// <summary>A tick label: as few decimals as the value needs.</summary>
    public static string Tick(double v) => Math.Abs(v) >= 1000 ? v.ToString("#,0", Inv) : v.ToString("0.##", Inv);

    private string Path(IEnumerable<(double X, double Y)> points)
    {
        var d = new StringBuilder();
        var pen = false;
        foreach (var (x, y) in points)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                pen = false;
                continue;
            }
            d.Append(pen ? 'L' : 'M').Append(N(X(x))).Append(' ').Append(N(Y(y)));
            pen = true;
        }
        return d.ToString();
    }

    private static string Title(string? title) => title is null ? string.Empty : $"<title>{Html.E(title)}</title>";
}
