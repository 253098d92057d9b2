namespace Overlap.Core.Statistics;

/// <summary>
/// The population stability index, by DESIGN.md's rule: shares per bin (numbers: 10 bins cut at the
/// reference's deciles; categories: one bin each), a share of 0 replaced by 0.0001, then
/// PSI = Σ (current − reference)·ln(current / reference). Always ≥ 0.
/// </summary>
internal static class Psi
{
    /// <summary>The share an empty bin is given, so the logarithm stays finite.</summary>
    public const double EmptyShare = 0.0001;

    /// <summary>The number of bins for numbers.</summary>
    public const int Bins = 10;

    /// <summary>
    /// PSI of numbers, both sorted ascending without NaN. The 9 edges are numpy's linear quantiles of the
    /// reference at 0.1 … 0.9; bin i holds edge[i−1] &lt; v ≤ edge[i], the first bin everything ≤ edge 1, the
    /// last everything &gt; edge 9. O(log n) per edge, no allocation. Either sample empty gives NaN.
    /// </summary>
    public static double Numeric(ReadOnlySpan<double> referenceSorted, ReadOnlySpan<double> currentSorted)
    {
        if (referenceSorted.IsEmpty || currentSorted.IsEmpty)
        {
            return double.NaN;
        }
        Span<double> edges = stackalloc double[Bins - 1];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = Bootstrap.Quantile(referenceSorted, (i + 1) / (double)Bins);
        }
        var psi = 0.0;
        int refBelow = 0,
            curBelow = 0;
        for (var bin = 0; bin < Bins; bin++)
        {
            var refUpTo = bin < Bins - 1 ? CountAtMost(referenceSorted, edges[bin]) : referenceSorted.Length;
            var curUpTo = bin < Bins - 1 ? CountAtMost(currentSorted, edges[bin]) : currentSorted.Length;
            psi += Term(
                (double)(refUpTo - refBelow) / referenceSorted.Length,
                (double)(curUpTo - curBelow) / currentSorted.Length
            );
            refBelow = refUpTo;
            curBelow = curUpTo;
        }
        return psi;
    }

    /// <summary>PSI of categories given as counts per category (same order in both). Either total zero gives NaN.</summary>
    public static double Categorical(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts)
    {
        var (refTotal, curTotal) = CountVectors.Totals(referenceCounts, currentCounts);
        if (refTotal == 0 || curTotal == 0)
        {
            return double.NaN;
        }
        var psi = 0.0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            psi += Term(referenceCounts[i] / refTotal, currentCounts[i] / curTotal);
        }
        return psi;
    }

    private static double Term(double reference, double current)
    {
        reference = reference == 0 ? EmptyShare : reference;
        current = current == 0 ? EmptyShare : current;
        return (current - reference) * Math.Log(current / reference);
    }

    /// <summary>How many sorted values are ≤ x (numpy <c>searchsorted(side='right')</c>).</summary>
    private static int CountAtMost(ReadOnlySpan<double> sorted, double x)
    {
        int lo = 0,
            hi = sorted.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sorted[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
