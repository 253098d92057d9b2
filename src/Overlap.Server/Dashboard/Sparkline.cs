using System.Globalization;
using System.Text;

namespace Overlap.Server.Dashboard;

/// <summary>A tiny line chart as inline SVG: no script, nothing to load.</summary>
public static class Sparkline
{
    /// <summary>The values left to right on [min, max] of what is present; a missing value breaks the line.</summary>
    public static string Svg(IReadOnlyList<double?> values, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(values);
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        var svg = new StringBuilder().Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" data-testid=\"sparkline\">"
        );
        if (present.Count > 0)
        {
            var (low, high) = (present.Min(), present.Max());
            var span = high - low > 1e-12 ? high - low : 1;
            var step = values.Count > 1 ? (width - 4) / (double)(values.Count - 1) : 0;
            var run = new List<string>();
            void Flush()
            {
                if (run.Count == 1)
                {
                    svg.Append(
                        CultureInfo.InvariantCulture,
                        $"<circle cx=\"{run[0].Split(',')[0]}\" cy=\"{run[0].Split(',')[1]}\" r=\"1.5\" fill=\"#594ae2\"/>"
                    );
                }
                else if (run.Count > 1)
                {
                    svg.Append(
                        CultureInfo.InvariantCulture,
                        $"<polyline fill=\"none\" stroke=\"#594ae2\" stroke-width=\"1.5\" points=\"{string.Join(' ', run)}\"/>"
                    );
                }
                run.Clear();
            }
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is not { } v)
                {
                    Flush();
                    continue;
                }
                var x = 2 + (i * step);
                var y = 2 + ((height - 4) * (1 - ((v - low) / span)));
                run.Add(string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}"));
            }
            Flush();
        }
        return svg.Append("</svg>").ToString();
    }
}
