using Overlap.Core.Data;

namespace Overlap.Core.Drift;

/// <summary>Drift of a categorical column (or a numeric one with at most 5 distinct values) with DESIGN.md's defaults.</summary>
internal static class CategoricalDrift
{
    /// <summary>
    /// Tests two count vectors over the same categories (same order). Default by the reference's total count:
    /// at most 1000 → chi-square test of homogeneity, drift at p &lt; 0.05; more → Jensen–Shannon distance of the
    /// shares, drift at ≥ 0.1. Forced PSI works on the shares, drift at ≥ 0.25. When either vector is all zeros
    /// the column cannot be tested: statistic NaN (chi-square: 0 with p 1), no drift.
    /// </summary>
    /// <exception cref="ArgumentException">A numeric test (ks, wasserstein) was forced, or the vectors differ in length.</exception>
    public static ColumnDriftResult Run(long[] referenceCounts, long[] currentCounts, DriftTestKind? forced)
    {
        ArgumentNullException.ThrowIfNull(referenceCounts);
        ArgumentNullException.ThrowIfNull(currentCounts);
        long referenceRows = 0;
        foreach (var count in referenceCounts)
        {
            referenceRows += count;
        }
        var test = forced is { } kind ? DriftTests.Of(kind) : DriftTests.Default(ColumnKind.Categorical, referenceRows);
        if (test.OnCounts is null)
        {
            throw new ArgumentException(
                $"the {test.Name} test is for numbers; categories take {DriftTests.NamesFor(ColumnKind.Categorical)}",
                nameof(forced)
            );
        }
        var (statistic, pValue) = test.OnCounts(referenceCounts, currentCounts);
        return test.Judge(statistic, pValue);
    }
}
