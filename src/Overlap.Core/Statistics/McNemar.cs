namespace Overlap.Core.Statistics;

/// <summary>
/// McNemar's test for paired binary outcomes (model A right and B wrong, and the reverse), as
/// <c>statsmodels.stats.contingency_tables.mcnemar</c>: exact below 25 discordant pairs, else chi-square
/// with continuity correction (DESIGN.md).
/// </summary>
public static class McNemar
{
    /// <summary>Discordant pairs below this use the exact binomial test.</summary>
    public const int ExactBelow = 25;

    /// <summary>
    /// Tests b against c (the two discordant counts). Exact: statistic min(b, c), p = min(1, 2·P(Bin(b+c, ½) ≤ min(b, c)))
    /// (<c>mcnemar(table, exact=True)</c>; no discordant pairs gives p 1). Otherwise statistic (|b − c| − 1)² / (b + c),
    /// p from chi-square with 1 degree of freedom (<c>exact=False, correction=True</c>).
    /// </summary>
    public static TestResult Test(long b, long c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        var n = b + c;
        if (n < ExactBelow)
        {
            var k = Math.Min(b, c);
            // P(X ≤ k) for X ~ Bin(n, 1/2): the binomial coefficients are exact in doubles for n < 25.
            double coefficient = 1,
                sum = 0;
            for (var i = 0; i <= k; i++)
            {
                sum += coefficient;
                coefficient = coefficient * (n - i) / (i + 1);
            }
            var p = Math.Min(1.0, 2 * sum / Math.Pow(2, n));
            return new TestResult(k, p, true);
        }
        var gap = Math.Abs(b - c) - 1.0;
        var statistic = gap * gap / n;
        return new TestResult(statistic, ChiSquare.Survival(statistic, 1), false);
    }
}
