namespace Overlap.Core.Statistics;

/// <summary>The one-dimensional Wasserstein-1 (earth mover's) distance, as <c>scipy.stats.wasserstein_distance(u, v)</c>.</summary>
public static class Wasserstein
{
    /// <summary>
    /// ∫ |F_u − F_v| dx over two samples sorted ascending (no NaN), by one linear merge: O(n), no allocation.
    /// Unweighted; either sample empty gives NaN (scipy raises).
    /// </summary>
    public static double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        if (u.IsEmpty || v.IsEmpty)
        {
            return double.NaN;
        }
        int nu = u.Length,
            nv = v.Length;
        int i = 0,
            j = 0;
        var sum = 0.0;
        var x = Math.Min(u[0], v[0]);
        while (i < nu || j < nv)
        {
            while (i < nu && u[i] <= x)
            {
                i++;
            }
            while (j < nv && v[j] <= x)
            {
                j++;
            }
            if (i == nu && j == nv)
            {
                break;
            }
            var next = i < nu && (j >= nv || u[i] <= v[j]) ? u[i] : v[j];
            sum += Math.Abs(((double)i / nu) - ((double)j / nv)) * (next - x);
            x = next;
        }
        return sum;
    }
}
