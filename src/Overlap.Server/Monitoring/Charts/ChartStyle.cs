using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace Overlap.Server.Monitoring.Charts;

/// <summary>What the feature page's charts share: colours, the chart options, the layout with titled axes.</summary>
internal static class ChartStyle
{
    /// <summary>The theme's primary: realised figures, the current window.</summary>
    public const string Primary = "#594ae2";

    /// <summary>Estimates and the second series of a chart.</summary>
    public const string Secondary = "#ff9800";

    /// <summary>The reference, and other things drawn for comparison.</summary>
    public const string Muted = "#9e9e9e";

    /// <summary>What misses the contract.</summary>
    public const string Bad = "#f44336";

    /// <summary>What is best (the cost-optimal threshold).</summary>
    public const string Good = "#00a383";

    /// <summary>Responsive, without the mode bar (nothing in it a reader needs).</summary>
    public static Config Config() =>
        new() { Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    /// <summary>A layout with the axes titled in their units and the legend along the top.</summary>
    public static Plotly.Blazor.Layout Layout(string yTitle, string? xTitle = null) =>
        new()
        {
            Margin = new Margin
            {
                L = 64,
                R = 24,
                T = 24,
                B = xTitle is null ? 40 : 56,
            },
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle } }],
            YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle } }],
            Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1.12m }],
        };

    /// <summary>Adds a second y axis on the right (traces name it "y2"), with room for its title.</summary>
    public static void RightAxis(Plotly.Blazor.Layout layout, string title)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.Margin.R = 72;
        layout.YAxis.Add(
            new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = title },
                Overlaying = "y",
                Side = Plotly.Blazor.LayoutLib.YAxisLib.SideEnum.Right,
                RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero,
                ShowGrid = false,
            }
        );
    }

    /// <summary>A figure for a trace, boxed (Plotly draws a gap at null).</summary>
    public static object? Value(double? value) => value;

    /// <summary>A window's start for a time axis.</summary>
    public static object Time(DateTimeOffset start) => start.UtcDateTime;
}
