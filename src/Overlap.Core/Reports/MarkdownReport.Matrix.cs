using System.Text;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

// A matrix of output columns judged by one contract: metrics down, outputs across.
public static partial class MarkdownReport
{
    /// <summary>
    /// A matrix run (<see cref="EvaluationReport.Outputs"/>) as a Markdown table: the verdict, then the rows of
    /// <see cref="MatrixTable"/> (each metric with its interval and the mark of the requirement on it), one column per
    /// output; then what the model judge did on each column.
    /// </summary>
    public static string WriteMatrix(EvaluationReport matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var columns = matrix.Outputs ?? [];
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"## Overlap: {Escape(matrix.Feature)} — {columns.Count} outputs side by side");
        sb.AppendLine();
        sb.AppendLine(Inv, $"| | {string.Join(" | ", columns.Select(c => $"`{Escape(c.Output)}`"))} |");
        sb.AppendLine(Inv, $"| --- |{string.Concat(columns.Select(_ => " --- |"))}");
        sb.AppendLine(
            Inv,
            $"| **verdict** | {string.Join(" | ", columns.Select(c => VerdictText.Mark(c.Report.Verdict)))} |"
        );
        foreach (var row in MatrixTable.Rows(matrix))
        {
            var cells = row.Cells.Select(c =>
                $"{c.Value} ({Escape(c.Interval)}){(c.Verdict is { } v ? " " + VerdictText.Mark(v) : "")}"
            );
            var name = row.Bar is { } bar ? $"`{bar}`" : row.Name;
            sb.AppendLine(Inv, $"| {name} | {string.Join(" | ", cells)} |");
        }
        var judged = columns.Where(c => c.Report.Judge is not null).ToList();
        if (judged.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("### Model judge");
            sb.AppendLine();
            foreach (var c in judged)
            {
                foreach (var line in c.Report.Judge!.Lines())
                {
                    sb.AppendLine(Inv, $"- `{Escape(c.Output)}`: {Escape(line)}");
                }
            }
        }
        AppendProvenance(sb, matrix.Provenance);
        return sb.ToString();
    }
}
