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
        return DriftTests
            .Of(result.Test)
            .Meaning?.Invoke(result, Phrasing.Number(result.Statistic), Phrasing.Number(result.Threshold));
    }
}
