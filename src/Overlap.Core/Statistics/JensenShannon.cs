namespace Overlap.Core.Statistics;

/// <summary>The Jensen–Shannon distance, as <c>scipy.spatial.distance.jensenshannon(p, q)</c> (natural log).</summary>
internal static class JensenShannon
{
    /// <summary>
    /// sqrt((KL(p‖m) + KL(q‖m)) / 2) with m = (p + q)/2, after normalising both count vectors to shares;
    /// between 0 and sqrt(ln 2). A vector of all zeros gives NaN, as in scipy.
    /// </summary>
    public static double Distance(ReadOnlySpan<long> p, ReadOnlySpan<long> q)
    {
        var (pTotal, qTotal) = CountVectors.Totals(p, q);
        if (pTotal == 0 || qTotal == 0)
        {
            return double.NaN;
        }
        var sum = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            var ps = p[i] / pTotal;
            var qs = q[i] / qTotal;
            var m = (ps + qs) / 2.0;
            if (ps > 0)
            {
                sum += ps * Math.Log(ps / m);
            }
            if (qs > 0)
            {
                sum += qs * Math.Log(qs / m);
            }
        }
        return Math.Sqrt(Math.Max(0, sum) / 2.0);
    }
}
