namespace Overlap.Core.Metrics;

/// <summary>
/// Examples of a multiclass task: the true and the predicted class of each example as codes into
/// <see cref="Classes"/>, and optionally the segment columns. Validated on construction.
/// </summary>
internal sealed class MulticlassSample
{
    /// <summary>Checks and holds the columns; nothing is copied.</summary>
    /// <param name="labels">True class per example, 0 to k-1.</param>
    /// <param name="predictions">Predicted class per example, 0 to k-1.</param>
    /// <param name="classes">The k class names, indexed by code; every one counts in the averages.</param>
    /// <param name="segments">Zero or more segment columns, each with one code per example.</param>
    /// <exception cref="ArgumentException">No classes, lengths differ, or a class or segment code is out of range.</exception>
    public MulticlassSample(
        ReadOnlyMemory<int> labels,
        ReadOnlyMemory<int> predictions,
        IReadOnlyList<string> classes,
        IReadOnlyList<SegmentColumn>? segments = null
    )
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new ArgumentException("At least one class is needed.", nameof(classes));
        }
        var n = labels.Length;
        if (predictions.Length != n)
        {
            throw new ArgumentException($"{predictions.Length} predictions for {n} labels.", nameof(predictions));
        }
        CheckCodes(labels.Span, classes.Count, nameof(labels));
        CheckCodes(predictions.Span, classes.Count, nameof(predictions));
        Segments = SegmentColumns.Validate(segments, n, nameof(segments));
        Labels = labels;
        Predictions = predictions;
        Classes = classes;
    }

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>True class code per example.</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>Predicted class code per example.</summary>
    public ReadOnlyMemory<int> Predictions { get; }

    /// <summary>The class names, indexed by code.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The segment columns (possibly none).</summary>
    public IReadOnlyList<SegmentColumn> Segments { get; }

    private static void CheckCodes(ReadOnlySpan<int> codes, int classes, string name)
    {
        var bad = codes.IndexOfAnyExceptInRange(0, classes - 1);
        if (bad >= 0)
        {
            throw new ArgumentException($"Class code {codes[bad]} at row {bad} is outside 0 to {classes - 1}.", name);
        }
    }
}
