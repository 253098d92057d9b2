using System.Text;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

// A matrix of output columns judged by one contract: metrics down, outputs across.
public static partial class MarkdownReport
{
    /// <summary>
    /// Output columns side by side as a Markdown table: the verdict, then each requirement's verdict and every metric
    /// with its interval, one column per output.
    /// </summary>
    public static string WriteMatrix(IReadOnlyList<string> outputs, IReadOnlyList<EvaluationReport> reports)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(reports);
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"## Overlap: {Escape(reports[0].Feature)} — {outputs.Count} outputs side by side");
        sb.AppendLine();
        sb.AppendLine(Inv, $"| | {string.Join(" | ", outputs.Select(o => $"`{Escape(o)}`"))} |");
        sb.AppendLine(Inv, $"| --- |{string.Concat(outputs.Select(_ => " --- |"))}");
        sb.AppendLine(Inv, $"| **verdict** | {string.Join(" | ", reports.Select(r => VerdictText.Mark(r.Verdict)))} |");
        for (var i = 0; i < reports[0].Requirements.Count; i++)
        {
            var cells = reports.Select(r => VerdictText.Mark(r.Requirements[i].Verdict));
            sb.AppendLine(Inv, $"| `{VerdictText.Bar(reports[0].Requirements[i])}` | {string.Join(" | ", cells)} |");
        }
        foreach (var name in reports[0].Metrics.Keys)
        {
            var cells = reports.Select(r =>
                r.Metrics.TryGetValue(name, out var m)
                    ? $"{FigureText.Value(m.Value)} ({Escape(FigureText.Interval(m.CiLow, m.CiHigh, m.Reason))})"
                    : "—"
            );
            sb.AppendLine(Inv, $"| {name} | {string.Join(" | ", cells)} |");
        }
        return sb.ToString();
    }
}
