using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>One bin of a reliability table: the examples whose score falls in [Low, High) ([0.9, 1] for the last).</summary>
/// <param name="Low">The bin's lower edge.</param>
/// <param name="High">The bin's upper edge.</param>
/// <param name="Count">Examples in the bin.</param>
/// <param name="MeanScore">Their mean score; NaN when the bin is empty.</param>
/// <param name="ObservedRate">Their share of positives; NaN when the bin is empty.</param>
/// <param name="Interval">Wilson interval of the observed share.</param>
public readonly record struct ReliabilityBin(
    double Low,
    double High,
    long Count,
    double MeanScore,
    double ObservedRate,
    Interval Interval
);
