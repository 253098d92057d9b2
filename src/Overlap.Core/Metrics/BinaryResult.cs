namespace Overlap.Core.Metrics;

/// <summary>Everything a binary evaluation measured: metrics overall and per segment, calibration and thresholds.</summary>
internal sealed record BinaryResult
{
    /// <summary>Examples evaluated.</summary>
    public required long N { get; init; }

    /// <summary>The options the evaluation ran with.</summary>
    public required BinaryOptions Options { get; init; }

    /// <summary>Metrics over all examples.</summary>
    public required GroupMetrics Overall { get; init; }

    /// <summary>Metrics per value of each segment column, in the sample's column order.</summary>
    public required IReadOnlyList<SegmentMetrics> Segments { get; init; }

    /// <summary>Reliability table and ECE over all examples.</summary>
    public required CalibrationReport Calibration { get; init; }

    /// <summary>Threshold sweep, cost-optimal threshold and curves over all examples.</summary>
    public required ThresholdReport Thresholds { get; init; }
}
