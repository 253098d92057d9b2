using Overlap.Core.Statements;

namespace Overlap.Core.Drift;

/// <summary>A drift statistic in words: its unit or scale, its threshold, and what the figure says.</summary>
internal static class DriftMeaning
{
    /// <summary>The sentence for a test's outcome; null when the statistic could not be computed.</summary>
    public static string? Of(ColumnDriftResult result)
    {
        if (!double.IsFinite(result.Statistic))
        {
            return null;
        }
        var s = Phrasing.Number(result.Statistic);
        var bar = Phrasing.Number(result.Threshold);
        return result.Test switch
        {
            DriftTestKind.Ks => $"Kolmogorov–Smirnov D = {s} (the largest gap between the two samples' cumulative shares), {PValue(result, "the two samples are unlikely to come from one distribution", "no evidence that the distribution changed")}",
            DriftTestKind.ChiSquare => $"chi-square {s} (how far the category counts are from what equal shares would give), {PValue(result, "the category shares are unlikely to be the same in both", "no evidence that the category shares changed")}",
            DriftTestKind.Wasserstein => $"Wasserstein distance {s} reference standard deviations (drift at {bar}): the typical value moved by about {Spread(result.Statistic)} of the reference's usual spread",
            DriftTestKind.JensenShannon => $"Jensen–Shannon distance {s} (0 = same shares, 1 = no overlap; drift at {bar})",
            _ => $"population stability index {s} (under {Phrasing.Number(DriftTests.PsiWarn)} stable, {Phrasing.Number(DriftTests.PsiWarn)} to {bar} a moderate shift worth watching, {bar} or more drift)",
        };
    }

    // Shares of a spread read better as a percentage up to about twice the spread, then as "times".
    private static string Spread(double sds) => sds < 1.995 ? Phrasing.Percent(sds) : $"{Phrasing.Number(Math.Round(sds, 1))} times";

    private static string PValue(ColumnDriftResult result, string drifted, string stable) => result.PValue is { } p
        ? $"{Phrasing.PValue(p)} ({(result.Drift ? "below" : "at or above")} {Phrasing.Number(result.Threshold)}: {(result.Drift ? drifted : stable)})"
        : "no p-value";
}
