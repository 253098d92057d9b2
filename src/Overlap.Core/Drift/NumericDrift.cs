using Overlap.Core.Data;

namespace Overlap.Core.Drift;

/// <summary>Drift of a numeric column with DESIGN.md's defaults (as Evidently picks them).</summary>
internal static class NumericDrift
{
    /// <summary>
    /// The reference's standard deviation is floored at this before dividing the Wasserstein distance by it
    /// (Evidently's <c>max(np.std(reference), 0.001)</c>), so a constant reference gives a finite figure:
    /// 0 when the current data equal it, 1000 × the distance otherwise.
    /// </summary>
    public const double MinimumStd = 0.001;

    /// <summary>
    /// Tests two samples sorted ascending without NaN. Default: KS (drift at p &lt; 0.05) for at most
    /// 1000 reference values, else the Wasserstein-1 distance divided by the reference's population standard
    /// deviation (ddof 0, floored at <see cref="MinimumStd"/>), drift at ≥ 0.1. <paramref name="forced"/> runs
    /// that test instead: PSI over decile bins, drift at ≥ 0.25. When either sample is empty the column cannot be
    /// tested: statistic NaN, no p-value, no drift.
    /// </summary>
    /// <exception cref="ArgumentException">A categorical test (chi_square, jensen_shannon) was forced on numbers.</exception>
    public static ColumnDriftResult Run(
        ReadOnlySpan<double> referenceSorted,
        ReadOnlySpan<double> currentSorted,
        DriftTestKind? forced
    )
    {
        var test = forced is { } kind
            ? DriftTests.Of(kind)
            : DriftTests.Default(ColumnKind.Numeric, referenceSorted.Length);
        if (test.OnNumbers is null)
        {
            throw new ArgumentException(
                $"the {test.Name} test is for categories; numbers take {DriftTests.NamesFor(ColumnKind.Numeric)}",
                nameof(forced)
            );
        }
        var (statistic, pValue) = test.OnNumbers(referenceSorted, currentSorted);
        return test.Judge(statistic, pValue);
    }

    /// <summary>The population standard deviation (ddof 0), by Welford's update; NaN for no values.</summary>
    public static double PopulationStd(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }
        double mean = 0,
            m2 = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var delta = values[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (values[i] - mean);
        }
        return Math.Sqrt(m2 / values.Length);
    }
}
