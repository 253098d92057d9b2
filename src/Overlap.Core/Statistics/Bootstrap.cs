namespace Overlap.Core.Statistics;

/// <summary>
/// The percentile bootstrap shared by every non-proportion metric. A resample is drawn as a vector of
/// multinomial counts (how many times each example was drawn), so a metric computed with weights over
/// a presorted order needs no copying or re-sorting. Replicate r is seeded from (seed, r) alone, so
/// replicates can run in parallel and a run repeats exactly.
/// </summary>
internal static class Bootstrap
{
    /// <summary>The default number of resamples (DESIGN.md).</summary>
    public const int DefaultResamples = 1000;

    /// <summary>The default seed, so that two runs on the same data give the same intervals.</summary>
    public const ulong DefaultSeed = 20_02_07_01;

    /// <summary>
    /// Fills <paramref name="counts"/> with the draw counts of replicate <paramref name="replicate"/>:
    /// counts.Length draws with replacement from counts.Length examples; the counts sum to counts.Length.
    /// </summary>
    public static void FillCounts(Span<int> counts, ulong seed, int replicate)
    {
        counts.Clear();
        var rng = new Xoshiro256(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(replicate + 1)));
        var n = counts.Length;
        for (var i = 0; i < n; i++)
        {
            counts[rng.NextInt(n)]++;
        }
    }

    /// <summary>
    /// The percentile interval of the replicate values at the given confidence, with numpy's default
    /// linear interpolation (<c>np.percentile(values, [100*a/2, 100*(1-a/2)])</c>). NaN replicates
    /// (a resample where the metric is undefined) are left out; all NaN gives <see cref="Interval.Unknown"/>.
    /// The span is sorted in place.
    /// </summary>
    public static Interval Percentile(Span<double> replicates, double confidence)
    {
        var k = 0;
        for (var i = 0; i < replicates.Length; i++)
        {
            if (!double.IsNaN(replicates[i]))
            {
                replicates[k++] = replicates[i];
            }
        }
        if (k == 0)
        {
            return Interval.Unknown;
        }
        var values = replicates[..k];
        values.Sort();
        var alpha = 1 - confidence;
        return new Interval(Quantile(values, alpha / 2), Quantile(values, 1 - (alpha / 2)));
    }

    /// <summary>numpy's linear quantile of sorted values: position q*(n-1), interpolated.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        var frac = pos - lo;
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * frac);
    }
}
