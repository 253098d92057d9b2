namespace Overlap.Core.Metrics;

/// <summary>
/// Examples of a regression task: the true target and the prediction of each example, optionally the
/// segment columns. Validated on construction.
/// </summary>
internal sealed class RegressionSample
{
    /// <summary>Checks and holds the columns; nothing is copied.</summary>
    /// <param name="targets">True value per example; finite.</param>
    /// <param name="predictions">Predicted value per example; finite.</param>
    /// <param name="segments">Zero or more segment columns, each with one code per example.</param>
    /// <exception cref="ArgumentException">Lengths differ, a value is not finite, or a segment code is invalid.</exception>
    public RegressionSample(
        ReadOnlyMemory<double> targets,
        ReadOnlyMemory<double> predictions,
        IReadOnlyList<SegmentColumn>? segments = null
    )
    {
        var n = targets.Length;
        if (predictions.Length != n)
        {
            throw new ArgumentException($"{predictions.Length} predictions for {n} targets.", nameof(predictions));
        }
        CheckFinite(targets.Span, nameof(targets));
        CheckFinite(predictions.Span, nameof(predictions));
        Segments = SegmentColumns.Validate(segments, n, nameof(segments));
        Targets = targets;
        Predictions = predictions;
    }

    /// <summary>Number of examples.</summary>
    public int Count => Targets.Length;

    /// <summary>True value per example.</summary>
    public ReadOnlyMemory<double> Targets { get; }

    /// <summary>Predicted value per example.</summary>
    public ReadOnlyMemory<double> Predictions { get; }

    /// <summary>The segment columns (possibly none).</summary>
    public IReadOnlyList<SegmentColumn> Segments { get; }

    private static void CheckFinite(ReadOnlySpan<double> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Value {values[i]} at row {i} is not a finite number.", name);
            }
        }
    }
}
