namespace Overlap.Core.Metrics;

/// <summary>
/// The k×k confusion counts of a multiclass group: rows are true classes, columns predicted classes
/// (as <c>sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k))</c>).
/// </summary>
internal sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    internal ConfusionMatrix(int classes, long[] counts)
    {
        ClassCount = classes;
        _counts = counts;
    }

    /// <summary>The number of classes k.</summary>
    public int ClassCount { get; }

    /// <summary>Examples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">True class code.</param>
    /// <param name="predicted">Predicted class code.</param>
    public long this[int actual, int predicted] => _counts[(actual * ClassCount) + predicted];

    /// <summary>All examples.</summary>
    public long Total => _counts.Sum();

    /// <summary>Examples on the diagonal (predicted right).</summary>
    public long Correct
    {
        get
        {
            long sum = 0;
            for (var c = 0; c < ClassCount; c++)
            {
                sum += this[c, c];
            }
            return sum;
        }
    }

    /// <summary>Examples whose true class is <paramref name="actual"/> (the support).</summary>
    /// <param name="actual">Class code.</param>
    public long Actual(int actual)
    {
        long sum = 0;
        foreach (var count in _counts.AsSpan(actual * ClassCount, ClassCount))
        {
            sum += count;
        }
        return sum;
    }

    /// <summary>Examples predicted as <paramref name="predicted"/>.</summary>
    /// <param name="predicted">Class code.</param>
    public long Predicted(int predicted)
    {
        long sum = 0;
        for (var c = 0; c < ClassCount; c++)
        {
            sum += this[c, predicted];
        }
        return sum;
    }

    /// <summary>The counts as rows (true class) of columns (predicted class).</summary>
    public long[][] ToRows()
    {
        var rows = new long[ClassCount][];
        for (var r = 0; r < ClassCount; r++)
        {
            rows[r] = _counts.AsSpan(r * ClassCount, ClassCount).ToArray();
        }
        return rows;
    }
}
