namespace Overlap.Core.Statistics;

/// <summary>
/// The interval for the difference of two independent estimates recovered from their own intervals: MOVER, the
/// "method of variance estimates recovery" (Zou &amp; Donner 2008). From Wilson intervals it is Newcombe's hybrid score
/// interval for a difference of proportions (method 10 of Newcombe 1998), as
/// <c>statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb", compare="diff")</c>; from percentile
/// bootstrap intervals it approximates the percentile interval of the difference of independent resamples.
/// </summary>
internal static class Mover
{
    /// <summary>
    /// The interval for <paramref name="b"/> − <paramref name="a"/>, each given with its interval at the same confidence:
    /// [d − √((b − lb)² + (ua − a)²), d + √((ub − b)² + (a − la)²)]. Unknown when either interval is.
    /// </summary>
    public static Interval Difference(double a, Interval intervalA, double b, Interval intervalB)
    {
        if (!intervalA.IsKnown || !intervalB.IsKnown || double.IsNaN(a) || double.IsNaN(b))
        {
            return Interval.Unknown;
        }
        var d = b - a;
        var low = d - Math.Sqrt(Square(b - intervalB.Low) + Square(intervalA.High - a));
        var high = d + Math.Sqrt(Square(intervalB.High - b) + Square(a - intervalA.Low));
        return new Interval(low, high);
    }

    private static double Square(double x) => x * x;
}
