namespace Overlap.Core.Metrics;

/// <summary>
/// Scored examples of a binary task: the positive-class probability and the true label of each example,
/// optionally the decision actually taken and the segment columns. Validated on construction.
/// </summary>
internal sealed class BinarySample
{
    /// <summary>Checks and holds the columns; nothing is copied.</summary>
    /// <param name="scores">Probability of the positive class per example, in [0, 1].</param>
    /// <param name="labels">True label per example: 1 positive, 0 negative.</param>
    /// <param name="predictions">
    /// The decision per example (1 flagged positive, 0 not); when empty, the decision is
    /// <c>score &gt;= threshold</c>.
    /// </param>
    /// <param name="segments">Zero or more segment columns, each with one code per example.</param>
    /// <param name="frequencies">
    /// How many examples each row stands for (a summary kept per cell rather than per example); when empty, one each.
    /// A row of frequency f is exactly f copies of it; the bootstrap then draws each row's count from Poisson(f).
    /// </param>
    /// <exception cref="ArgumentException">Lengths differ, a score is outside [0, 1], a label, code or frequency is invalid.</exception>
    public BinarySample(
        ReadOnlyMemory<double> scores,
        ReadOnlyMemory<byte> labels,
        ReadOnlyMemory<byte> predictions = default,
        IReadOnlyList<SegmentColumn>? segments = null,
        ReadOnlyMemory<int> frequencies = default
    )
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
        if (!frequencies.IsEmpty)
        {
            if (frequencies.Length != n)
            {
                throw new ArgumentException($"{frequencies.Length} frequencies for {n} scores.", nameof(frequencies));
            }
            var negative = frequencies.Span.IndexOfAnyInRange(int.MinValue, -1);
            if (negative >= 0)
            {
                throw new ArgumentException(
                    $"Frequency {frequencies.Span[negative]} at row {negative} is negative.",
                    nameof(frequencies)
                );
            }
        }
        Scores = scores;
        Frequencies = frequencies;
        Labels = labels;
        Predictions = predictions;
        Segments = segments;
    }

    /// <summary>Number of rows (each standing for its frequency of examples).</summary>
    public int Count => Scores.Length;

    /// <summary>How many examples each row stands for, or empty when one each.</summary>
    public ReadOnlyMemory<int> Frequencies { get; }

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
