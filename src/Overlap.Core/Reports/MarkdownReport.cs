using System.Globalization;
using System.Text;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Core.Reports;

/// <summary>Reports as Markdown, for a pull-request comment or a CI step summary.</summary>
public static partial class MarkdownReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>An evaluation as Markdown; a matrix run as its table (<see cref="WriteMatrix"/>).</summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Outputs is { Count: > 0 })
        {
            return WriteMatrix(report);
        }
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"## Overlap: {Escape(report.Feature)} — {VerdictText.Mark(report.Verdict)}");
        sb.AppendLine();
        sb.AppendLine(
            Inv,
            $"{report.N:#,0} examples{(report.Threshold is { } t ? string.Create(Inv, $", threshold {t:0.###}") : string.Empty)}, intervals at {Phrasing.Confidence(report.Confidence)} confidence."
        );
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
            var interval = FigureText.Interval(
                r.CiLow ?? double.NaN,
                r.CiHigh ?? double.NaN,
                r.Value is null ? "—" : null
            );
            var value = FigureText.Value(r.Value ?? double.NaN);
            var note =
                r.Reason is { } reason ? Escape(reason)
                : r.MoreExamplesNeeded is { } more
                    ? $"about {Phrasing.Count(more, "more labelled example")} would settle it"
                : r.Segment is { } seg ? $"decided by {Escape(seg)}"
                : "—";
            sb.AppendLine(
                Inv,
                $"| `{VerdictText.Bar(r)}` | {VerdictText.Mark(r.Verdict)} | {value} | {interval} | {note} |"
            );
        }
        sb.AppendLine();
        if (report.Cost is { } cost)
        {
            sb.AppendLine(Inv, $"**Cost**: {Escape(FigureText.Cost(cost))}");
            sb.AppendLine();
        }
        if (report.Abstain is { Statement: { } abstain })
        {
            sb.AppendLine(Inv, $"**People instead of the model**: {Escape(abstain)}");
            sb.AppendLine();
        }
        sb.AppendLine("<details><summary>All metrics</summary>");
        sb.AppendLine();
        sb.AppendLine("| metric | value | interval | n |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var (name, m) in report.Metrics)
        {
            sb.AppendLine(
                Inv,
                $"| {name} | {FigureText.Value(m.Value)} | {Escape(FigureText.Interval(m.CiLow, m.CiHigh, m.Reason))} | {m.N:#,0} |"
            );
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
                var evidence = d.PValue is { } p
                    ? Phrasing.PValue(p)
                    : FigureText.Interval(d.CiLow ?? double.NaN, d.CiHigh ?? double.NaN);
                var difference = double.IsFinite(d.Difference)
                    ? d.Difference.ToString("+0.####;-0.####;0", Inv)
                    : "not measurable";
                sb.AppendLine(
                    Inv,
                    $"| {d.Metric} | {FigureText.Value(d.Baseline)} | {FigureText.Value(d.Candidate)} | {difference} | {evidence} | {(d.Significant ? d.Direction.Replace('_', ' ') : "noise")} |"
                );
            }
        }
        AppendFairness(sb, report);
        AppendWorstOutputs(sb, report);
        AppendJudge(sb, report);
        AppendProvenance(sb, report.Provenance);
        return sb.ToString();
    }

    private static string Fmt(double v) => double.IsFinite(v) ? v.ToString("0.####", Inv) : "—";

    private static string Escape(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
