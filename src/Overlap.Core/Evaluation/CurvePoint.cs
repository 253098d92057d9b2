namespace Overlap.Core.Evaluation;

/// <summary>A point on a curve, with the threshold that produces it.</summary>
/// <param name="X">Horizontal coordinate.</param>
/// <param name="Y">Vertical coordinate.</param>
/// <param name="Threshold">The score threshold.</param>
public sealed record CurvePoint(double X, double Y, double Threshold);
