namespace Overlap.Core.Metrics;

/// <summary>A point of a ROC (x = false positive rate, y = recall) or precision–recall (x = recall, y = precision) curve.</summary>
/// <param name="X">The horizontal coordinate.</param>
/// <param name="Y">The vertical coordinate.</param>
/// <param name="Threshold">The score threshold of the point; +∞ for the "flag nothing" end.</param>
public readonly record struct CurvePoint(double X, double Y, double Threshold);
