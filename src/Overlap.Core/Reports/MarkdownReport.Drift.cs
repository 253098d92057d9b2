using System.Text;
using Overlap.Core.Drift;
using Overlap.Core.Statements;

namespace Overlap.Core.Reports;

/// <content>Drift reports.</content>
public static partial class MarkdownReport
{
    /// <summary>A drift report as Markdown.</summary>
    public static string Write(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.AppendLine(
            Inv,
            $"## Overlap drift{(report.Feature is null ? string.Empty : ": " + Escape(report.Feature))} — {(report.DatasetDrift ? "❌ drifted" : "✅ no dataset drift")}"
        );
        sb.AppendLine();
        sb.AppendLine(
            Inv,
            $"{Phrasing.Count(report.ReferenceRows, "reference row")}, {Phrasing.Count(report.CurrentRows, "current row")}."
        );
        sb.AppendLine();
        foreach (var s in report.Statements)
        {
            sb.AppendLine(Inv, $"- {Escape(s)}");
        }
        sb.AppendLine();
        sb.AppendLine("| column | kind | test | statistic | p-value | threshold | drift | what it means |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in report.Columns)
        {
            var drift = DriftWord(c.DriftVerdict);
            sb.AppendLine(
                Inv,
                $"| {Escape(c.Column)} | {c.Kind} | {c.Test} | {Figure(c.Statistic)} | {(c.PValue is { } p ? p.ToString("0.####", Inv) : "—")} | {Figure(c.Threshold)} | {drift} | {Escape(c.Meaning ?? c.Reason ?? "—")} |"
            );
        }
        foreach (var t in report.Text)
        {
            sb.AppendLine();
            sb.AppendLine(Inv, $"### Text column {Escape(t.Column)}");
            sb.AppendLine();
            if (t.Model is not null)
            {
                sb.AppendLine(
                    Inv,
                    $"Embeddings from {t.Model}: {Phrasing.Count(t.ReferenceSampled, "reference text")} and {Phrasing.Count(t.CurrentSampled, "current text")} compared; {t.MmdInWords()}."
                );
                sb.AppendLine();
            }
            sb.AppendLine(Inv, $"{Escape(t.Meaning)}.");
            sb.AppendLine();
            sb.AppendLine("| descriptor | test | statistic | threshold | drift | what it means |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var d in t.Descriptors)
            {
                sb.AppendLine(
                    Inv,
                    $"| {Escape(d.Column)} | {d.Test} | {Figure(d.Statistic)} | {Figure(d.Threshold)} | {DriftWord(d.DriftVerdict)} | {Escape(d.Meaning ?? d.Reason ?? "—")} |"
                );
            }
        }
        AppendProvenance(sb, report.Provenance);
        return sb.ToString();
    }

    private static string DriftWord(bool? drift) =>
        drift switch
        {
            true => "❌ yes",
            false => "no",
            null => "⚠️ not judged",
        };

    private static string Figure(double value) => double.IsFinite(value) ? value.ToString("0.####", Inv) : "—";
}
