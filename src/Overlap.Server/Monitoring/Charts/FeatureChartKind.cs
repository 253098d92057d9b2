namespace Overlap.Server.Monitoring.Charts;

/// <summary>The charts of the feature page.</summary>
public enum FeatureChartKind
{
    /// <summary>The key metric per window, realised and estimated.</summary>
    KeyMetric,

    /// <summary>Predictions, labels and latency per window.</summary>
    Volume,

    /// <summary>The cost of calls and of mistakes per window.</summary>
    Cost,

    /// <summary>The key metric per segment.</summary>
    Segments,

    /// <summary>The cost of mistakes against the threshold.</summary>
    TradeOff,

    /// <summary>Each column's distributions against the reference, for a window picked.</summary>
    Drift,

    /// <summary>A failing or unsettled requirement's metric per window, with its bar (the requirement picked by index).</summary>
    Requirement,

    /// <summary>A failing or unsettled requirement's metric per segment, with each segment's bar.</summary>
    RequirementSegments,

    /// <summary>A generative feature's acceptable rate per window, by people's and the model judge's grades.</summary>
    GenerativeAcceptable,

    /// <summary>A generative feature's check or criterion pass rate per window (picked by index).</summary>
    GenerativeFigure,

    /// <summary>The calls the contract's guard ran per window, by route.</summary>
    Workflow,
}
