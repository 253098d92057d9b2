namespace Overlap.Core.Evaluation;

/// <summary>One row of a reliability table.</summary>
/// <param name="Low">Bin's lower score edge.</param>
/// <param name="High">Bin's upper score edge.</param>
/// <param name="N">Examples in the bin.</param>
/// <param name="MeanScore">Their mean score.</param>
/// <param name="Observed">The share of them that are positive.</param>
/// <param name="CiLow">Wilson lower bound of the share.</param>
/// <param name="CiHigh">Wilson upper bound of the share.</param>
public sealed record CalibrationBin(
    double Low,
    double High,
    long N,
    double MeanScore,
    double Observed,
    double CiLow,
    double CiHigh
);
