using Overlap.Core.Metrics;

namespace Overlap.Core.Evaluation;

/// <summary>Curve points for charts.</summary>
public sealed record CurveSet
{
    /// <summary>ROC points: x false-positive rate, y recall.</summary>
    public required IReadOnlyList<CurvePoint> Roc { get; init; }

    /// <summary>Precision–recall points: x recall, y precision.</summary>
    public required IReadOnlyList<CurvePoint> PrecisionRecall { get; init; }
}
