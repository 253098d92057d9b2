using Overlap.Core.Experiments;
using Overlap.Core.Statements;

namespace Overlap.Server.Experiments;

/// <summary>What an experiment's page shows: the experiment day by day, its state now, and its charts' series.</summary>
internal sealed class ExperimentView
{
    public ExperimentView(FoundExperiment found, ExperimentHistory history)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(history);
        Found = found;
        History = history;
        Summary = ExperimentSummary.Of(found, history.Now.Report);
        Figures =
        [
            .. history.Now.Report.Primary.Select(f => (f, true)),
            .. history.Now.Report.Guardrails.Select(f => (f, false)),
        ];
    }

    /// <summary>The experiment and its contract.</summary>
    public FoundExperiment Found { get; }

    /// <summary>The experiment day by day; the last moment is now.</summary>
    public ExperimentHistory History { get; }

    /// <summary>The analysis now.</summary>
    public ExperimentReport Report => History.Now.Report;

    /// <summary>The decision now, in the API's words.</summary>
    public ExperimentSummary Summary { get; }

    /// <summary>The primary metrics, then the guardrails, as they read now.</summary>
    public IReadOnlyList<(ExperimentFigure Figure, bool Primary)> Figures { get; }

    /// <summary>The cumulative difference of figure <paramref name="index"/> (of <see cref="Figures"/>) day by day.</summary>
    public DifferenceSeries Series(int index)
    {
        var (figure, primary) = Figures[index];
        var metric = figure.Metric;
        var (scale, unit) = ExperimentStatements.Scale(metric);
        var points = History
            .Moments.Select(m =>
            {
                var d = (primary ? m.Report.Primary : m.Report.Guardrails).First(f => f.Metric == metric).Difference;
                return new DifferencePoint(
                    m.At,
                    Known(d.Estimate * scale),
                    d.AlwaysValid.IsKnown ? d.AlwaysValid.Low * scale : null,
                    d.AlwaysValid.IsKnown ? d.AlwaysValid.High * scale : null
                );
            })
            .ToList();
        double? margin =
            primary || metric.Margin is not { } m ? null
            : metric.HigherIsBetter ? -m * scale
            : m * scale;
        return new DifferenceSeries(Name(metric), unit, points, margin);
    }

    /// <summary>A metric as people read it: "recall", "latency p95", or the business event's name.</summary>
    public static string Name(Overlap.Core.Contracts.ExperimentMetric metric) =>
        metric.Metric is { } m ? Phrasing.Name(m) : metric.Name;

    /// <summary>A decision as a chip: its word (never colour alone) and its colour.</summary>
    public static (string Word, MudBlazor.Color Color) Chip(string decision) =>
        decision switch
        {
            "rollout" => ("roll out", MudBlazor.Color.Success),
            "rollback" => ("roll back", MudBlazor.Color.Error),
            "stop" => ("stop", MudBlazor.Color.Warning),
            _ => ("running", MudBlazor.Color.Info),
        };

    private static double? Known(double value) => double.IsFinite(value) ? value : null;
}
