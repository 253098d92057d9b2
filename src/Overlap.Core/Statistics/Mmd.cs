namespace Overlap.Core.Statistics;

/// <summary>
/// Maximum mean discrepancy between two samples of vectors, with a Gaussian (RBF) kernel
/// k(a, b) = exp(−‖a − b‖² / (2σ²)) whose width σ is the median distance between two distinct rows of the pooled
/// sample (the median heuristic). The statistic is the unbiased MMD² (Gretton et al. 2012, eq. 3): the mean kernel
/// within the first sample plus the mean within the second, pairs of a row with itself left out, minus twice the mean
/// across; it can be slightly negative when the samples agree. Its p-value comes from relabelling the pooled rows at
/// random (seeded): (1 + k) / (1 + permutations), k the relabellings whose MMD² is at least the observed one.
/// </summary>
internal static class Mmd
{
    /// <summary>The test's outcome.</summary>
    /// <param name="Statistic">The unbiased MMD².</param>
    /// <param name="Sigma">The kernel's width σ.</param>
    /// <param name="PValue">The permutation p-value.</param>
    public readonly record struct Result(double Statistic, double Sigma, double PValue);

    /// <summary>Runs the test; each sample needs at least 2 rows. Memory and time grow with the square of all rows.</summary>
    public static Result Test(IReadOnlyList<float[]> x, IReadOnlyList<float[]> y, int permutations, ulong seed)
    {
        if (x.Count < 2 || y.Count < 2)
        {
            throw new ArgumentException("each sample needs at least 2 rows");
        }
        var rows = x.Concat(y).ToArray();
        var n = rows.Length;
        var distances = new double[n * n];
        var upper = new double[n * (n - 1) / 2];
        var u = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = 0.0;
                for (var k = 0; k < rows[i].Length; k++)
                {
                    var diff = (double)rows[i][k] - rows[j][k];
                    d += diff * diff;
                }
                distances[(i * n) + j] = distances[(j * n) + i] = d;
                upper[u++] = Math.Sqrt(d);
            }
        }
        Array.Sort(upper);
        var sigma = Bootstrap.Quantile(upper, 0.5);
        // Identical rows only: every kernel value is 1 and the samples cannot differ.
        var scale = sigma > 0 ? 1 / (2 * sigma * sigma) : 0;
        var kernel = distances;
        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] = Math.Exp(-kernel[i] * scale);
        }
        var labels = new bool[n];
        labels.AsSpan(0, x.Count).Fill(true);
        var observed = Statistic(kernel, n, labels, x.Count);
        var rng = new Xoshiro256(seed);
        var atLeast = 0;
        for (var p = 0; p < permutations; p++)
        {
            for (var i = n - 1; i > 0; i--)
            {
                var j = rng.NextInt(i + 1);
                (labels[i], labels[j]) = (labels[j], labels[i]);
            }
            atLeast += Statistic(kernel, n, labels, x.Count) >= observed ? 1 : 0;
        }
        return new Result(observed, sigma, (1.0 + atLeast) / (1.0 + permutations));
    }

    private static double Statistic(double[] kernel, int n, bool[] inX, int nx)
    {
        double xx = 0,
            yy = 0,
            xy = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var k = kernel[(i * n) + j];
                if (inX[i] && inX[j])
                {
                    xx += k;
                }
                else if (!inX[i] && !inX[j])
                {
                    yy += k;
                }
                else
                {
                    xy += k;
                }
            }
        }
        var ny = n - nx;
        return (2 * xx / ((double)nx * (nx - 1))) + (2 * yy / ((double)ny * (ny - 1))) - (2 * xy / ((double)nx * ny));
    }
}
