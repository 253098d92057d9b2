using Overlap.Core.Drift;
using Overlap.Core.Monitoring;
using Overlap.Core.Statements;

namespace Overlap.Server.Monitoring.Charts;

internal static partial class FeatureCharts
{
    /// <summary>Every window that was tested for drift, oldest first, each column with its two distributions.</summary>
    public static DriftWindow[] DriftWindows(MonitoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            .. report
                .Windows.Where(w => w.Drift is not null)
                .Select(w => new DriftWindow(
                    w.Start,
                    w.Drift!.DatasetDrift,
                    w.Drift.DriftedShare,
                    (w.Drift.Statements.Count > 0 ? w.Drift.Statements[0] : ""),
                    [.. w.Drift.Columns.Select(Overlay)]
                )),
        ];
    }

    /// <summary>A column's test and its distributions; a share that is not a number counts as none.</summary>
    public static DriftOverlay Overlay(ColumnDrift column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var d = column.Distribution;
        var bins = d is null ? 0 : Math.Min(d.Bins.Count, Math.Min(d.Reference.Count, d.Current.Count));
        static double Share(double v) => double.IsFinite(v) ? v : 0;
        return new DriftOverlay(
            column.Column,
            column.Kind,
            column.Test,
            Finite(column.Statistic),
            Finite(column.PValue),
            column.Threshold,
            column.DriftVerdict,
            [.. Enumerable.Range(0, bins).Select(i => PlainText(d!.Bins[i]))],
            [.. Enumerable.Range(0, bins).Select(i => Share(d!.Reference[i]))],
            [.. Enumerable.Range(0, bins).Select(i => Share(d!.Current[i]))],
            column.Reason
        );
    }

    /// <summary>A column's test in words: "Wasserstein distance 0.42 (drift at 0.1 or more): drifted".</summary>
    public static string DriftTestStatement(DriftOverlay column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var name = DriftTests.Find(column.Test)?.Title ?? column.Test;
        if (column.Drift is null)
        {
            // Too few values on a side: neither drifted nor stable, and the page says so rather than "stable".
            return $"{name}: not judged{(column.Reason is { Length: > 0 } reason ? $" ({reason})" : "")}";
        }
        var statistic = column.Statistic is { } s ? Phrasing.Number(s) : "not computed";
        var judged = column.PValue is { } p
            ? $"{name} {statistic}, {Phrasing.PValue(p)} (drift below p = {Phrasing.Number(column.Threshold)})"
            : $"{name} {statistic} (drift at {Phrasing.Number(column.Threshold)} or more)";
        return $"{judged}: {(column.Drift == true ? "drifted" : "stable")}";
    }

    /// <summary>The range's drift in numbers: how many windows were compared with the reference and how many drifted.</summary>
    public static string DriftStatement(RangeReport range)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (range.DriftTestedWindows == 0)
        {
            return "No window was compared with a reference: the contract names no monitoring reference, or its reference period has no predictions. There is no drift or schema check to show.";
        }
        var columns =
            range.DriftedColumns.Count == 0
                ? "no column drifted in any of them"
                : "columns drifted in "
                    + string.Join(
                        ", ",
                        range
                            .DriftedColumns.OrderByDescending(c => c.Value)
                            .ThenBy(c => c.Key, StringComparer.Ordinal)
                            .Select(c => $"{c.Key} ({c.Value} window{(c.Value == 1 ? "" : "s")})")
                    );
        return $"{range.DriftTestedWindows} windows were compared with the reference; {range.DriftedWindows} of them drifted as a data set (at least half of their columns); {columns}.";
    }

    /// <summary>Each schema change, with the window it appeared in, oldest first.</summary>
    public static IReadOnlyList<(DateTimeOffset Start, SchemaChange Change)> SchemaChanges(MonitoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            .. report
                .Windows.Where(w => w.Drift is not null)
                .SelectMany(w => w.Drift!.Schema.Select(s => (w.Start, s))),
        ];
    }
}
