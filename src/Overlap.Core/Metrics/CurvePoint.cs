namespace Overlap.Core.Metrics;

/// <summary>A point of a ROC (x = false positive rate, y = recall) or precision–recall (x = recall, y = precision) curve.</summary>
/// <param name="Threshold">The score threshold of the point; +∞ for the "flag nothing" end.</param>
/// <param name="X">The horizontal coordinate.</param>
/// <param name="Y">The vertical coordinate.</param>
public readonly record struct CurvePoint(double Threshold, double X, double Y);
