namespace Overlap.Core.Statistics;

/// <summary>
/// Cohen's kappa over a square table of counts (rows one rater's categories, columns the other's, in the same order):
/// how far two raters agree beyond what chance would give with each one's category shares. Used for two reviewers
/// (<see cref="ReviewerAgreement"/>) and for a model judge against people (<c>JudgeAgreement</c>).
/// </summary>
internal static class CohenKappa
{
    /// <summary>
    /// Cohen's kappa of a square table (rows one rater, columns the other) as sklearn computes it, and half its
    /// asymptotic interval's width as statsmodels' <c>cohens_kappa</c> gives its variance (Fleiss, Cohen and Everitt
    /// 1969): z·√var. Kappa is NaN when chance alone would agree on every case.
    /// </summary>
    public static (double Kappa, double Half) WithHalfWidth(double[,] table, double z)
    {
        var k = table.GetLength(0);
        var (p, row, col, n) = Shares(table);
        double observedOff = 0,
            expectedOff = 0,
            chance = 0;
        for (var i = 0; i < k; i++)
        {
            chance += row[i] * col[i];
            for (var j = 0; j < k; j++)
            {
                if (i != j)
                {
                    observedOff += p[i, j];
                    expectedOff += row[i] * col[j];
                }
            }
        }
        if (expectedOff <= 0)
        {
            return (double.NaN, double.NaN);
        }
        var kappa = 1 - (observedOff / expectedOff);
        double termA = 0,
            termB = 0;
        for (var i = 0; i < k; i++)
        {
            termA += p[i, i] * Math.Pow(1 - ((row[i] + col[i]) * (1 - kappa)), 2);
            for (var j = 0; j < k; j++)
            {
                if (i != j)
                {
                    termB += p[i, j] * Math.Pow(col[i] + row[j], 2);
                }
            }
        }
        termB *= Math.Pow(1 - kappa, 2);
        var termC = Math.Pow(kappa - (chance * (1 - kappa)), 2);
        var variance = (termA + termB - termC) / Math.Pow(1 - chance, 2) / n;
        return (kappa, z * Math.Sqrt(Math.Max(0, variance)));
    }

    /// <summary>Cohen's kappa of a square table, as sklearn's <c>cohen_kappa_score</c>; NaN when chance alone would agree on every case.</summary>
    public static double Of(double[,] table) => WithHalfWidth(table, 0).Kappa;

    /// <summary>Cohen's kappa with quadratic weights (i − j)² over the table's categories, as sklearn; NaN when undefined.</summary>
    public static double Quadratic(double[,] table)
    {
        var k = table.GetLength(0);
        var (p, row, col, _) = Shares(table);
        double observed = 0,
            expected = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                double w = (i - j) * (i - j);
                observed += w * p[i, j];
                expected += w * row[i] * col[j];
            }
        }
        return expected <= 0 ? double.NaN : 1 - (observed / expected);
    }

    private static (double[,] P, double[] Row, double[] Col, double N) Shares(double[,] table)
    {
        var k = table.GetLength(0);
        double n = 0;
        foreach (var t in table)
        {
            n += t;
        }
        var p = new double[k, k];
        var (row, col) = (new double[k], new double[k]);
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                p[i, j] = table[i, j] / n;
                row[i] += p[i, j];
                col[j] += p[i, j];
            }
        }
        return (p, row, col, n);
    }
}
