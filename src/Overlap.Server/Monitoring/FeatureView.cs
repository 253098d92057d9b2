using Overlap.Core.Contracts;
using Overlap.Core.Drift;
using Overlap.Core.Monitoring;
using Overlap.Server.Monitoring.Charts;
using Overlap.Server.Monitoring.Generative;

namespace Overlap.Server.Monitoring;

/// <summary>What the feature page shows of the last 30 days: the windows and their merge, and what the charts draw of them.</summary>
internal sealed class FeatureView
{
    public FeatureView(
        Contract contract,
        MonitoringReport report,
        RangeReport range,
        IReadOnlyList<(string Route, string Outcome)>? reviewed = null
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(range);
        Contract = contract;
        Report = report;
        Range = range;
        Metric = FeatureHealth.KeyMetricOf(contract);
        KeyMetric = FeatureCharts.KeyMetric(report, Metric);
        Windows = FeatureCharts.Windows(report);
        Segments = range.Evaluation is { } month ? FeatureCharts.Segments(month, contract, Metric) : null;
        TradeOff = range.Evaluation is { } e ? FeatureCharts.TradeOff(e) : null;
        Drift = FeatureCharts.DriftWindows(report);
        Schema = FeatureCharts.SchemaChanges(report);
        Requirements = FeatureCharts.Requirements(contract, report, range);
        LatencyBar = contract
            .Requirements.FirstOrDefault(r => r.Metric == "latency_p95_ms" && r.By is null && r.Bound == Bound.Max)
            ?.Value;
        Generative = GenerativeView.Of(contract, report);
        Workflow = Overlap.Server.Monitoring.Workflow.WorkflowView.Of(contract, report, reviewed ?? []);
    }

    /// <summary>What the contract's workflow guard did; null when no window had a guarded call.</summary>
    public Overlap.Server.Monitoring.Workflow.WorkflowView? Workflow { get; }

    /// <summary>The latest contract.</summary>
    public Contract Contract { get; }

    /// <summary>Each window, oldest first, with the retrain advice.</summary>
    public MonitoringReport Report { get; }

    /// <summary>The windows judged as one.</summary>
    public RangeReport Range { get; }

    /// <summary>The metric the feature is followed by.</summary>
    public string Metric { get; }

    /// <summary>The key metric per window, realised and estimated.</summary>
    public MetricPoint[] KeyMetric { get; }

    /// <summary>Volume, latency and cost per window.</summary>
    public WindowPoint[] Windows { get; }

    /// <summary>The key metric per segment over the range; null without labels.</summary>
    public SegmentChartData? Segments { get; }

    /// <summary>The threshold/cost trade-off over the range; null without labels, scores or costs.</summary>
    public TradeOffData? TradeOff { get; }

    /// <summary>The windows tested for drift.</summary>
    public DriftWindow[] Drift { get; }

    /// <summary>Each schema change with its window.</summary>
    public IReadOnlyList<(DateTimeOffset Start, SchemaChange Change)> Schema { get; }

    /// <summary>Each requirement that fails or is unsettled over the range, with what its section draws.</summary>
    public RequirementView[] Requirements { get; }

    /// <summary>The contract's bar on the 95th percentile latency, if it sets one.</summary>
    public double? LatencyBar { get; }

    /// <summary>What a generative feature's page shows; null for any other task.</summary>
    public GenerativeView? Generative { get; }
}
