namespace Overlap.Core.Monitoring;

/// <summary>Where a check stands after a window.</summary>
public enum AlertState
{
    /// <summary>Nothing to judge: no labels, no traffic, or a check production does not judge yet.</summary>
    NoData,

    /// <summary>The bar is met.</summary>
    Ok,

    /// <summary>Not clear yet: the interval straddles the bar, or it misses on fewer labelled examples than <c>min_samples</c>.</summary>
    Warning,

    /// <summary>The bar is missed on enough examples to act on.</summary>
    Alert,
}
