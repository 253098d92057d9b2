namespace Overlap.Core.Metrics;

/// <summary>Everything a regression evaluation measured, overall and per segment value.</summary>
internal sealed record RegressionResult
{
    /// <summary>Examples evaluated.</summary>
    public required long N { get; init; }

    /// <summary>The options the evaluation ran with.</summary>
    public required RegressionOptions Options { get; init; }

    /// <summary>Metrics over all examples.</summary>
    public required RegressionGroupMetrics Overall { get; init; }

    /// <summary>Metrics per value of each segment column, in the sample's column order.</summary>
    public required IReadOnlyList<RegressionSegmentMetrics> Segments { get; init; }
}
