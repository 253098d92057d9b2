namespace Overlap.Core.Metrics;

/// <summary>
/// Scored examples of a binary task: the positive-class probability and the true label of each example,
/// optionally the decision actually taken and the segment columns. Validated on construction.
/// </summary>
public sealed class BinarySample
{
    /// <summary>Checks and holds the columns; nothing is copied.</summary>
    /// <param name="scores">Probability of the positive class per example, in [0, 1].</param>
    /// <param name="labels">True label per example: 1 positive, 0 negative.</param>
    /// <param name="predictions">
    /// The decision per example (1 flagged positive, 0 not); when empty, the decision is
    /// <c>score &gt;= threshold</c>.
    /// </param>
    /// <param name="segments">Zero or more segment columns, each with one code per example.</param>
    /// <exception cref="ArgumentException">Lengths differ, a score is outside [0, 1], a label or a code is invalid.</exception>
    public BinarySample(
        ReadOnlyMemory<double> scores,
        ReadOnlyMemory<byte> labels,
        ReadOnlyMemory<byte> predictions = default,
        IReadOnlyList<SegmentColumn>? segments = null)
    {
        var n = scores.Length;
        if (labels.Length != n)
        {
            throw new ArgumentException($"{labels.Length} labels for {n} scores.", nameof(labels));
        }
        if (!predictions.IsEmpty && predictions.Length != n)
        {
            throw new ArgumentException($"{predictions.Length} predictions for {n} scores.", nameof(predictions));
        }
        var s = scores.Span;
        for (var i = 0; i < n; i++)
        {
            // Written so that NaN fails too.
            if (!(s[i] >= 0 && s[i] <= 1))
            {
                throw new ArgumentException($"Score {s[i]} at row {i} is not a probability in [0, 1].", nameof(scores));
            }
        }
        CheckBinary(labels.Span, nameof(labels));
        CheckBinary(predictions.Span, nameof(predictions));
        segments = SegmentColumns.Validate(segments, n, nameof(segments));
        Scores = scores;
        Labels = labels;
        Predictions = predictions;
        Segments = segments;
    }

    /// <summary>Number of examples.</summary>
    public int Count => Scores.Length;

    /// <summary>Probability of the positive class per example.</summary>
    public ReadOnlyMemory<double> Scores { get; }

    /// <summary>True label per example: 1 positive, 0 negative.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    /// <summary>The decision per example, or empty when it is <c>score &gt;= threshold</c>.</summary>
    public ReadOnlyMemory<byte> Predictions { get; }

    /// <summary>The segment columns (possibly none).</summary>
    public IReadOnlyList<SegmentColumn> Segments { get; }

    private static void CheckBinary(ReadOnlySpan<byte> values, string name)
    {
        var bad = values.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
        {
            throw new ArgumentException($"Value {values[bad]} at row {bad} is neither 0 nor 1.", name);
        }
    }
}
