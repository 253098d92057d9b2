using MathNet.Numerics.Distributions;
using MathNet.Numerics.RootFinding;
using Overlap.Core.Statistics;

namespace Overlap.Core.Planning;

/// <summary>
/// How many labelled examples a figure needs: enough for a Wilson interval of a given half-width, or enough
/// to tell two rates apart with a two-sided test.
/// </summary>
internal static class SampleSize
{
    /// <summary>Largest sample size any search goes to; beyond it the margin is not reachable in practice.</summary>
    public const long Limit = 1L << 40;

    /// <summary>
    /// Half the width of the Wilson interval (as <see cref="Wilson.Interval"/>) when a share <paramref name="rate"/>
    /// of <paramref name="n"/> trials succeed; the successes may be fractional, as statsmodels allows.
    /// </summary>
    /// <param name="rate">The observed or expected proportion, in [0, 1].</param>
    /// <param name="n">Trials, at least 1.</param>
    /// <param name="confidence">Two-sided confidence in (0, 1).</param>
    public static double WilsonHalfWidth(double rate, long n, double confidence)
    {
        var interval = Wilson.Interval(rate * n, n, confidence);
        return (interval.High - interval.Low) / 2;
    }

    /// <summary>
    /// The smallest n whose Wilson interval at <paramref name="confidence"/> has half-width at most
    /// <paramref name="margin"/> when the proportion is <paramref name="rate"/>. The half-width falls
    /// strictly as n grows, so a binary search finds it.
    /// </summary>
    /// <param name="rate">The expected proportion, in [0, 1].</param>
    /// <param name="margin">The half-width wanted, in (0, 0.5].</param>
    /// <param name="confidence">Two-sided confidence in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range, or the margin needs more than <see cref="Limit"/> trials.</exception>
    public static long ForWilson(double rate, double margin, double confidence)
    {
        if (!(rate >= 0 && rate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be in [0, 1].");
        }
        if (!(margin > 0 && margin <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be in (0, 0.5].");
        }
        CheckProbability(confidence, nameof(confidence));
        long high = 1;
        while (WilsonHalfWidth(rate, high, confidence) > margin)
        {
            if (high >= Limit)
            {
                throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin is too small to reach.");
            }
            high *= 2;
        }
        var low = high / 2;
        // Invariant: the half-width at low is above the margin (or low is 0), at high it is not.
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            if (WilsonHalfWidth(rate, mid, confidence) > margin)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }
        return high;
    }

    /// <summary>
    /// Cohen's h between two proportions, as statsmodels' <c>proportion_effectsize(prop1, prop2)</c>:
    /// 2·asin(√prop1) − 2·asin(√prop2).
    /// </summary>
    public static double EffectSize(double prop1, double prop2) =>
        (2 * Math.Asin(Math.Sqrt(prop1))) - (2 * Math.Asin(Math.Sqrt(prop2)));

    /// <summary>
    /// Power of a two-sided z-test with <paramref name="nobs1"/> examples in each of two equal arms, as
    /// statsmodels' <c>NormalIndPower().power(effect_size, nobs1, alpha, ratio=1, alternative="two-sided")</c>,
    /// both tails included.
    /// </summary>
    public static double Power(double effectSize, double nobs1, double alpha)
    {
        var crit = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        var shift = effectSize * Math.Sqrt(nobs1 / 2);
        // sf(crit − shift) + cdf(−crit − shift); sf(x) is cdf(−x), exact in the far tail.
        return Normal.CDF(0, 1, shift - crit) + Normal.CDF(0, 1, -crit - shift);
    }

    /// <summary>
    /// Examples per arm, unrounded, for a two-sided test at <paramref name="alpha"/> to reach
    /// <paramref name="power"/> between rates <paramref name="baselineRate"/> and <paramref name="candidateRate"/>:
    /// the root of <see cref="Power"/> at Cohen's h = <see cref="EffectSize"/>(candidate, baseline), as
    /// statsmodels' <c>NormalIndPower().solve_power(..., ratio=1, alternative="two-sided")</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate, alpha or power is outside (0, 1), the rates are equal, or power ≤ alpha.</exception>
    public static double PerArmExact(double baselineRate, double candidateRate, double alpha = 0.05, double power = 0.8)
    {
        if (!(baselineRate >= 0 && baselineRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(baselineRate), baselineRate, "The rate must be in [0, 1].");
        }
        if (!(candidateRate >= 0 && candidateRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(candidateRate), candidateRate, "The rate must be in [0, 1].");
        }
        CheckProbability(alpha, nameof(alpha));
        CheckProbability(power, nameof(power));
        if (power <= alpha)
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "The power must exceed alpha.");
        }
        var h = Math.Abs(EffectSize(candidateRate, baselineRate));
        if (h == 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(candidateRate),
                candidateRate,
                "The two rates are equal; there is no difference to detect."
            );
        }
        double Gap(double n) => Power(h, n, alpha) - power;
        // Power rises with n from alpha (n → 0), so a bracket [tiny, high] is found by doubling.
        const double low = 1e-9;
        var high = 1.0;
        while (Gap(high) < 0)
        {
            if (high >= Limit)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(candidateRate),
                    candidateRate,
                    "The rates are too close to tell apart."
                );
            }
            high *= 2;
        }
        return Brent.FindRoot(Gap, low, high, 1e-12 * high, 200);
    }

    /// <summary>
    /// Examples per arm for a two-sided test: <see cref="PerArmExact"/> rounded up, as
    /// <c>ceil(NormalIndPower().solve_power(proportion_effectsize(candidate, baseline), alpha=alpha, power=power))</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="PerArmExact"/>.</exception>
    public static long PerArm(double baselineRate, double candidateRate, double alpha = 0.05, double power = 0.8) =>
        (long)Math.Ceiling(PerArmExact(baselineRate, candidateRate, alpha, power));

    private static void CheckProbability(double value, string name)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be in (0, 1).");
        }
    }
}
