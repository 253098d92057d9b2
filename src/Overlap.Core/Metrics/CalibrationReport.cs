namespace Overlap.Core.Metrics;

/// <summary>A reliability table over 10 equal-width score bins and the expected calibration error.</summary>
/// <param name="Bins">The ten bins, lowest scores first.</param>
/// <param name="Ece">Σ (n_bin / N) · |observed share − mean score|; NaN with no examples.</param>
public sealed record CalibrationReport(IReadOnlyList<ReliabilityBin> Bins, double Ece);
