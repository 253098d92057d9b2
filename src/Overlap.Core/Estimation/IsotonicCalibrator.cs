namespace Overlap.Core.Estimation;

/// <summary>
/// Maps scores to calibrated probabilities by isotonic regression (pool-adjacent-violators), as scikit-learn's
/// <c>IsotonicRegression(out_of_bounds="clip")</c>: equal scores are pooled first (their labels averaged), the fit is
/// the non-decreasing step that minimises squared error, and a new score is interpolated linearly between the fitted
/// points and clipped to the first and last outside them.
/// </summary>
internal sealed class IsotonicCalibrator
{
    private readonly double[] _x;
    private readonly double[] _y;

    private IsotonicCalibrator(double[] x, double[] y)
    {
        _x = x;
        _y = y;
    }

    /// <summary>A fit read back from its points (<see cref="Scores"/>, <see cref="Probabilities"/>).</summary>
    /// <exception cref="FormatException">The points are not a fit: none, of different counts, or scores not ascending.</exception>
    public static IsotonicCalibrator Of(double[] scores, double[] probabilities)
    {
        if (scores.Length == 0 || scores.Length != probabilities.Length)
        {
            throw new FormatException(
                $"an isotonic fit needs as many probabilities as scores, at least one ({scores.Length} scores, {probabilities.Length} probabilities)"
            );
        }
        for (var i = 1; i < scores.Length; i++)
        {
            if (!(scores[i] > scores[i - 1]))
            {
                throw new FormatException($"an isotonic fit's scores ascend; score {i} does not");
            }
        }
        return new IsotonicCalibrator(scores, probabilities);
    }

    /// <summary>The distinct scores seen in fitting, ascending.</summary>
    public IReadOnlyList<double> Scores => _x;

    /// <summary>The fitted probability at each of <see cref="Scores"/>.</summary>
    public IReadOnlyList<double> Probabilities => _y;

    /// <summary>Fits scores to 0/1 labels.</summary>
    /// <exception cref="ArgumentException">No examples, or scores and labels of different lengths, or a NaN score.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<byte> labels)
    {
        if (scores.Length != labels.Length || scores.IsEmpty)
        {
            throw new ArgumentException(
                $"isotonic calibration needs as many labels as scores and at least one of each ({scores.Length} scores, {labels.Length} labels)"
            );
        }
        var order = new int[scores.Length];
        var keys = scores.ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            if (double.IsNaN(keys[i]))
            {
                throw new ArgumentException("isotonic calibration cannot fit a NaN score", nameof(scores));
            }
        }
        Array.Sort(keys, order);
        // Pool equal scores: one point per distinct score, its mean label, weighted by its count.
        var x = new List<double>();
        var sums = new List<double>();
        var weights = new List<double>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (x.Count == 0 || keys[i] != x[^1])
            {
                x.Add(keys[i]);
                sums.Add(0);
                weights.Add(0);
            }
            sums[^1] += labels[order[i]];
            weights[^1]++;
        }
        // Pool adjacent violators: blocks of (mean, weight, count of points), merged while a block's mean falls below the one before.
        var blockMean = new List<double>();
        var blockWeight = new List<double>();
        var blockPoints = new List<int>();
        for (var i = 0; i < x.Count; i++)
        {
            blockMean.Add(sums[i] / weights[i]);
            blockWeight.Add(weights[i]);
            blockPoints.Add(1);
            while (blockMean.Count > 1 && blockMean[^2] > blockMean[^1])
            {
                var w = blockWeight[^2] + blockWeight[^1];
                var mean = ((blockMean[^2] * blockWeight[^2]) + (blockMean[^1] * blockWeight[^1])) / w;
                var points = blockPoints[^2] + blockPoints[^1];
                blockMean.RemoveAt(blockMean.Count - 1);
                blockWeight.RemoveAt(blockWeight.Count - 1);
                blockPoints.RemoveAt(blockPoints.Count - 1);
                blockMean[^1] = mean;
                blockWeight[^1] = w;
                blockPoints[^1] = points;
            }
        }
        var y = new double[x.Count];
        var k = 0;
        for (var b = 0; b < blockMean.Count; b++)
        {
            for (var j = 0; j < blockPoints[b]; j++)
            {
                y[k++] = blockMean[b];
            }
        }
        return new IsotonicCalibrator([.. x], y);
    }

    /// <summary>The calibrated probability of a score.</summary>
    public double Predict(double score)
    {
        if (score <= _x[0])
        {
            return _y[0];
        }
        if (score >= _x[^1])
        {
            return _y[^1];
        }
        var i = Array.BinarySearch(_x, score);
        if (i >= 0)
        {
            return _y[i];
        }
        var upper = ~i;
        var lower = upper - 1;
        var t = (score - _x[lower]) / (_x[upper] - _x[lower]);
        return _y[lower] + (t * (_y[upper] - _y[lower]));
    }
}
