using MathNet.Numerics.Distributions;

namespace Overlap.Core.Statistics;

/// <summary>
/// The Wilson score interval for a binomial proportion, as
/// <c>statsmodels.stats.proportion.proportion_confint(count, nobs, alpha, method="wilson")</c>.
/// </summary>
public static class Wilson
{
    /// <summary>
    /// The interval for <paramref name="successes"/> out of <paramref name="trials"/> at the given two-sided
    /// confidence (0.95 for 95%). Zero trials give <see cref="Interval.Unknown"/>.
    /// </summary>
    /// <param name="successes">How many of the trials succeeded (0 to trials).</param>
    /// <param name="trials">How many trials there were.</param>
    /// <param name="confidence">Two-sided confidence level in (0, 1).</param>
    public static Interval Interval(double successes, double trials, double confidence)
    {
        if (trials <= 0)
        {
            return Statistics.Interval.Unknown;
        }
        var z = Z(confidence);
        var p = successes / trials;
        var z2 = z * z;
        var denominator = 1 + (z2 / trials);
        var center = (p + (z2 / (2 * trials))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4 * trials * trials))) / denominator;
        return new Interval(Math.Max(0, center - half), Math.Min(1, center + half));
    }

    /// <summary>The two-sided normal critical value for a confidence level: 1.959964 for 0.95.</summary>
    public static double Z(double confidence) => Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
}
