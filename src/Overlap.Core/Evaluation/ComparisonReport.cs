namespace Overlap.Core.Evaluation;

/// <summary>Two models scored on the same examples: which differences are real and which are noise.</summary>
public sealed record ComparisonReport
{
    /// <summary>Examples both models scored.</summary>
    public required long N { get; init; }

    /// <summary>Each compared metric.</summary>
    public required IReadOnlyList<MetricDifference> Differences { get; init; }

    /// <summary>Plain-language summary.</summary>
    public required IReadOnlyList<string> Statements { get; init; }
}
