namespace Overlap.Core.Evaluation;

/// <summary>How well scores match observed rates.</summary>
public sealed record CalibrationSummary
{
    /// <summary>Expected calibration error (10 equal-width bins, L1).</summary>
    public required double Ece { get; init; }

    /// <summary>The reliability table.</summary>
    public required IReadOnlyList<CalibrationBin> Bins { get; init; }
}
