namespace Overlap.Core.Contracts;

/// <summary>Which side of a bar a requirement holds a metric to.</summary>
public enum Bound
{
    /// <summary>The metric must be at least the bar.</summary>
    Min,

    /// <summary>The metric must be at most the bar.</summary>
    Max,

    /// <summary>No segment may fall further than the bar below the overall figure (or above it, for a lower-is-better metric).</summary>
    MaxGap,
}
