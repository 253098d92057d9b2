using MathNet.Numerics.Distributions;

namespace Overlap.Core.Statistics;

/// <summary>
/// The two-sided z-test that two independent proportions are equal, with the pooled share in the standard error, as
/// <c>statsmodels.stats.proportion.proportions_ztest([x1, x2], [n1, n2])</c>.
/// </summary>
internal static class TwoProportionTest
{
    /// <summary>
    /// The p-value for <paramref name="x1"/> of <paramref name="n1"/> against <paramref name="x2"/> of <paramref name="n2"/>.
    /// When every trial of both succeeded, or none did, the two shares are equal and there is no variance: p is 1 (statsmodels
    /// divides by zero there). NaN when either sample is empty.
    /// </summary>
    public static double PValue(long x1, long n1, long x2, long n2)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            return double.NaN;
        }
        var pooled = (double)(x1 + x2) / (n1 + n2);
        if (pooled is <= 0 or >= 1)
        {
            return 1;
        }
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / n1) + (1.0 / n2)));
        var z = (((double)x1 / n1) - ((double)x2 / n2)) / se;
        return 2 * Normal.CDF(0, 1, -Math.Abs(z));
    }
}
