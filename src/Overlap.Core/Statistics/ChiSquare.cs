using MathNet.Numerics;

namespace Overlap.Core.Statistics;

/// <summary>
/// Pearson's chi-square test of homogeneity on a 2×k table of counts, without continuity correction, as
/// <c>scipy.stats.chi2_contingency([reference, current], correction=False)</c> once the categories that
/// are zero in both rows are dropped.
/// </summary>
internal static class ChiSquare
{
    /// <summary>
    /// Σ (observed − expected)² / expected with k − 1 degrees of freedom (k = categories present in either
    /// row); p = Q((k−1)/2, χ²/2), the regularized upper incomplete gamma, accurate for tiny p.
    /// Fewer than two categories, or a row with no counts, is no evidence of a difference: statistic 0, p 1
    /// (scipy returns that for one category and raises for an empty row).
    /// </summary>
    public static TestResult Homogeneity(ReadOnlySpan<long> reference, ReadOnlySpan<long> current)
    {
        var (refTotal, curTotal) = CountVectors.Totals(reference, current);
        var categories = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            if (reference[i] + current[i] > 0)
            {
                categories++;
            }
        }
        if (categories < 2 || refTotal == 0 || curTotal == 0)
        {
            return new TestResult(0, 1, false);
        }
        var total = refTotal + curTotal;
        var statistic = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            double column = reference[i] + current[i];
            if (column == 0)
            {
                continue;
            }
            var expectedRef = refTotal * column / total;
            var expectedCur = curTotal * column / total;
            statistic +=
                ((reference[i] - expectedRef) * (reference[i] - expectedRef) / expectedRef)
                + ((current[i] - expectedCur) * (current[i] - expectedCur) / expectedCur);
        }
        return new TestResult(statistic, Survival(statistic, categories - 1), false);
    }

    /// <summary>P(χ²_dof &gt; x), the upper tail computed directly so tiny p-values keep their digits.</summary>
    public static double Survival(double x, int degreesOfFreedom) =>
        x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, x / 2.0);
}
