using System.Globalization;
using System.Text;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Core.Reports;

/// <summary>Reports as Markdown, for a pull-request comment or a CI step summary.</summary>
public static partial class MarkdownReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>An evaluation as Markdown.</summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"## Overlap: {Escape(report.Feature)} — {VerdictText.Mark(report.Verdict)}");
        sb.AppendLine();
        sb.AppendLine(Inv, $"{report.N:#,0} examples{(report.Threshold is { } t ? string.Create(Inv, $", threshold {t:0.###}") : string.Empty)}, intervals at {Phrasing.Percent(report.Confidence)} confidence.");
        sb.AppendLine();
        foreach (var s in report.Statements)
        {
            sb.AppendLine(Inv, $"- {Escape(s)}");
        }
        sb.AppendLine();
        sb.AppendLine("| requirement | verdict | value | interval | note |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var r in report.Requirements)
        {
            var interval = r.CiLow is { } lo && r.CiHigh is { } hi && double.IsFinite(lo) ? string.Create(Inv, $"{lo:0.###} – {hi:0.###}") : string.Empty;
            var value = r.Value is { } v && double.IsFinite(v) ? v.ToString("0.###", Inv) : string.Empty;
            var note = r.MoreExamplesNeeded is { } more ? string.Create(Inv, $"about {more:#,0} more labelled examples would settle it") : r.Segment is { } seg ? $"decided by {Escape(seg)}" : string.Empty;
            sb.AppendLine(Inv, $"| `{VerdictText.Bar(r)}` | {VerdictText.Mark(r.Verdict)} | {value} | {interval} | {note} |");
        }
        sb.AppendLine();
        if (report.Cost is { } cost)
        {
            sb.AppendLine(Inv, $"**Cost**: {cost.CostPer1000:#,0.##} {Escape(cost.Currency)} per 1,000 decisions at threshold {cost.Threshold:0.###}; {cost.OptimalCostPer1000:#,0.##} at the cost-optimal threshold {cost.OptimalThreshold:0.###}.");
            sb.AppendLine();
        }
        sb.AppendLine("<details><summary>All metrics</summary>");
        sb.AppendLine();
        sb.AppendLine("| metric | value | interval | n |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var (name, m) in report.Metrics)
        {
            sb.AppendLine(Inv, $"| {name} | {Fmt(m.Value)} | {Fmt(m.CiLow)} – {Fmt(m.CiHigh)} | {m.N:#,0} |");
        }
        sb.AppendLine();
        sb.AppendLine("</details>");
        if (report.Comparison is { } cmp)
        {
            sb.AppendLine();
            sb.AppendLine("### Against the baseline");
            sb.AppendLine();
            sb.AppendLine("| metric | baseline | candidate | difference | interval / p | real? |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var d in cmp.Differences)
            {
                var evidence = d.PValue is { } p ? Phrasing.PValue(p) : string.Create(Inv, $"{Fmt(d.CiLow ?? double.NaN)} – {Fmt(d.CiHigh ?? double.NaN)}");
                sb.AppendLine(Inv, $"| {d.Metric} | {Fmt(d.Baseline)} | {Fmt(d.Candidate)} | {d.Difference:+0.####;-0.####;0} | {evidence} | {(d.Significant ? d.Direction.Replace('_', ' ') : "noise")} |");
            }
        }
        AppendProvenance(sb, report.Provenance);
        return sb.ToString();
    }


    private static string Fmt(double v) => double.IsFinite(v) ? v.ToString("0.####", Inv) : "—";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
