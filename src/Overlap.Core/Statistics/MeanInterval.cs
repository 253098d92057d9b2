namespace Overlap.Core.Statistics;

/// <summary>
/// The normal (z) interval of a mean from values with counts: mean ± z·s/√n with the sample standard deviation
/// (n − 1), as statsmodels' <c>DescrStatsW(values, weights=counts).zconfint_mean(alpha)</c>. Used for paired
/// per-example differences (model minus a trivial baseline), where it needs one pass over counts, not a bootstrap.
/// Fewer than two examples give <see cref="Interval.Unknown"/>; values that are all equal give a zero-width interval.
/// </summary>
internal static class MeanInterval
{
    public static (double Mean, Interval Interval) Of(
        IEnumerable<(double Value, double Count)> values,
        double confidence
    )
    {
        double n = 0,
            sum = 0;
        var list = values.Where(v => v.Count > 0).ToList();
        foreach (var (value, count) in list)
        {
            n += count;
            sum += value * count;
        }
        if (n == 0)
        {
            return (double.NaN, Interval.Unknown);
        }
        var mean = sum / n;
        if (n < 2)
        {
            return (mean, Interval.Unknown);
        }
        var squares = list.Sum(v => v.Count * (v.Value - mean) * (v.Value - mean));
        var half = Wilson.Z(confidence) * Math.Sqrt(squares / (n - 1) / n);
        return (mean, new Interval(mean - half, mean + half));
    }
}
