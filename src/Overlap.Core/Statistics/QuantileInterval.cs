using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Overlap.Core.Statistics;

/// <summary>
/// A distribution-free confidence interval for a quantile, from order statistics: with n sorted values and
/// α = 1 − confidence, the bounds are x(l) and x(u) (1-based) where l = F⁻¹(α/2) and u = F⁻¹(1 − α/2) + 1 for
/// F the Binomial(n, q) distribution (its quantile as <c>scipy.stats.binom.ppf</c>: the least k with F(k) ≥ p),
/// clipped to x(1) and x(n). It assumes nothing about the shape of the values (latencies are skewed).
/// </summary>
internal static class QuantileInterval
{
    /// <summary>The interval for quantile <paramref name="q"/> of <paramref name="sorted"/> (ascending, no NaN); unknown when empty.</summary>
    public static Interval OrderStatistic(ReadOnlySpan<double> sorted, double q, double confidence)
    {
        if (sorted.IsEmpty)
        {
            return Interval.Unknown;
        }
        var n = sorted.Length;
        var alpha = 1 - confidence;
        var low = BinomialQuantile(alpha / 2, n, q);
        var high = BinomialQuantile(1 - (alpha / 2), n, q) + 1;
        return new Interval(sorted[Math.Clamp(low, 1, n) - 1], sorted[Math.Clamp(high, 1, n) - 1]);
    }

    /// <summary>The least k in [0, n] with P(Binomial(n, q) ≤ k) ≥ p, by bisection on the CDF.</summary>
    public static int BinomialQuantile(double p, int n, double q)
    {
        int lo = 0,
            hi = n;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Binomial.CDF(q, n, mid) >= p)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /// <summary>
    /// As <see cref="BinomialQuantile(double, int, double)"/> for counts beyond <see cref="int.MaxValue"/> (a merged
    /// sketch of many windows); the same figure whenever n fits an int. Beyond, P(Binomial(n, q) ≤ k) is the regularized
    /// incomplete beta I₁₋q(n − k, k + 1), which is how MathNet's CDF computes it; scipy agrees to the rank at n = 3·10⁹
    /// and within a few parts in 10¹⁰ of n at 10¹¹.
    /// </summary>
    public static long BinomialQuantile(double p, long n, double q)
    {
        if (n <= int.MaxValue)
        {
            return BinomialQuantile(p, (int)n, q);
        }
        long lo = 0,
            hi = n;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (SpecialFunctions.BetaRegularized(n - (double)mid, mid + 1.0, 1 - q) >= p)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
