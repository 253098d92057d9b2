using System.Text;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Core.Reports;

// A matrix run (overlap eval --outputs): output columns across, the rows of MatrixTable down, each cell coloured by the
// verdict of the requirement on it.
public static partial class HtmlReport
{
    /// <summary>
    /// A matrix run (<see cref="EvaluationReport.Outputs"/>) as one self-contained page: the verdict of the whole and of
    /// each output column, the table of every figure with its interval (coloured by the verdict of the requirement on
    /// it), then each column's worst outputs and what the model judge did on it.
    /// </summary>
    public static string WriteMatrix(EvaluationReport matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var columns = matrix.Outputs ?? [];
        var b = new StringBuilder(64 * 1024);
        Open(b, $"{matrix.Feature} · {columns.Count} outputs · {VerdictText.Headline(matrix.Verdict)} · Overlap");
        b.Append("<header class=\"hero v-")
            .Append(VerdictText.Word(matrix.Verdict))
            .Append("\"><div class=\"eyebrow\"><span class=\"logo\"></span>Overlap · outputs side by side</div>")
            .Append("<div class=\"title-row\"><h1>")
            .Append(Html.E(matrix.Feature))
            .Append("</h1><span class=\"pill badge ")
            .Append(VerdictText.Word(matrix.Verdict))
            .Append("\">")
            .Append(Html.E(VerdictText.Headline(matrix.Verdict)))
            .Append("</span></div><dl class=\"facts\">");
        Fact(b, "Task", matrix.Task);
        Fact(b, "Cases", Html.Count(matrix.N));
        Fact(b, "Outputs", Html.Count(columns.Count));
        Fact(b, "Confidence", Phrasing.Confidence(matrix.Confidence));
        b.Append("</dl>");
        Lead(b, matrix.Statements);
        b.Append("</header>");
        SectionHead(
            b,
            "matrix",
            "Outputs side by side",
            $"Each figure with its {Phrasing.Confidence(matrix.Confidence)} interval; a cell is coloured by the verdict of the requirement on it."
        );
        b.Append("<div class=\"card flush\"><div class=\"scroll\"><table class=\"omx\"><thead><tr><th></th>");
        foreach (var c in columns)
        {
            b.Append("<th>").Append(Html.E(c.Output)).Append("</th>");
        }
        b.Append("</tr></thead><tbody><tr><td class=\"bar\">verdict</td>");
        foreach (var c in columns)
        {
            b.Append("<td>").Append(Pill(c.Report.Verdict, VerdictText.Headline(c.Report.Verdict))).Append("</td>");
        }
        b.Append("</tr>");
        foreach (var row in MatrixTable.Rows(matrix))
        {
            b.Append("<tr><td class=\"bar\">").Append(Html.E(row.Name));
            if (row.Bar is { } bar)
            {
                b.Append("<span class=\"ci\">").Append(Html.E(bar)).Append("</span>");
            }
            b.Append("</td>");
            foreach (var cell in row.Cells)
            {
                b.Append("<td class=\"")
                    .Append(cell.Verdict is { } v ? VerdictText.Word(v) : "none")
                    .Append("\"><span class=\"value\">")
                    .Append(Html.E(cell.Value))
                    .Append("</span><span class=\"ci\">")
                    .Append(Html.E(cell.Interval))
                    .Append("</span></td>");
            }
            b.Append("</tr>");
        }
        b.Append("</tbody></table></div></div></section>");
        for (var i = 0; i < columns.Count; i++)
        {
            WorstOutputsSection(b, columns[i].Report, (columns[i].Output, i + 1));
            JudgeSection(b, columns[i].Report, (columns[i].Output, i + 1));
        }
        AppendProvenance(b, matrix.Provenance);
        return Close(b);
    }
}
