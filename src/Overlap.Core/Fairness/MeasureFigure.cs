using Overlap.Core.Statistics;

namespace Overlap.Core.Fairness;

/// <summary>A measure computed over a grouping, before it is judged: the figure, its interval and the groups at each end.</summary>
internal sealed record MeasureFigure(
    FairnessMeasure Measure,
    IReadOnlyList<string> Attributes,
    double Value,
    Interval Interval,
    FairnessGroup? Lowest,
    FairnessGroup? Highest,
    GroupRate Rate,
    IReadOnlyList<FairnessGroup> Groups
);
