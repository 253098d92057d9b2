using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Overlap.Core.Statistics;

/// <summary>
/// McNemar's test for two classifiers judged on the same examples, from the discordant pairs only, as
/// <c>statsmodels.stats.contingency_tables.mcnemar</c>: the exact binomial test below 25 discordant pairs,
/// else the chi-square statistic with continuity correction.
/// </summary>
public static class McNemar
{
    /// <summary>Discordant pairs below which the exact test is used.</summary>
    public const int ExactBelow = 25;

    /// <summary>Tests whether the two models are right equally often.</summary>
    /// <param name="onlyFirstRight">Examples only the first model gets right.</param>
    /// <param name="onlySecondRight">Examples only the second model gets right.</param>
    public static McNemarResult Test(long onlyFirstRight, long onlySecondRight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(onlyFirstRight);
        ArgumentOutOfRangeException.ThrowIfNegative(onlySecondRight);
        var n = onlyFirstRight + onlySecondRight;
        if (n < ExactBelow)
        {
            var k = Math.Min(onlyFirstRight, onlySecondRight);
            var p = n == 0 ? 1 : Math.Min(1, 2 * Binomial.CDF(0.5, (int)n, k));
            return new McNemarResult(k, p, Exact: true);
        }
        var d = Math.Abs(onlyFirstRight - onlySecondRight) - 1.0;
        var statistic = d * d / n;
        return new McNemarResult(statistic, SpecialFunctions.GammaUpperRegularized(0.5, statistic / 2), Exact: false);
    }
}

/// <summary>The outcome of <see cref="McNemar.Test"/>.</summary>
/// <param name="Statistic">The smaller discordant count (exact) or the corrected chi-square statistic.</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="Exact">True when the exact binomial test was used.</param>
public readonly record struct McNemarResult(double Statistic, double PValue, bool Exact);
