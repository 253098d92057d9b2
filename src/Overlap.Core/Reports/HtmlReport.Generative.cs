using System.Text;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

// A generative evaluation's worst outputs, each with every check and criterion it failed.
public static partial class HtmlReport
{
    /// <param name="b">The page.</param>
    /// <param name="r">The report.</param>
    /// <param name="column">In a matrix: the output column's name and place, so each column has its own section.</param>
    private static void WorstOutputsSection(
        StringBuilder b,
        EvaluationReport r,
        (string Name, int Index)? column = null
    )
    {
        if (r.WorstOutputs is not { Count: > 0 } worst)
        {
            return;
        }
        SectionHead(
            b,
            column is { } c ? $"worst-{c.Index}" : "worst",
            column is { } named ? $"Worst outputs of {named.Name}" : "Worst outputs",
            "The outputs that failed the most checks and criteria, and why."
        );
        b.Append(
            "<div class=\"card\"><div class=\"scroll\"><table><thead><tr><th>Case</th><th>Output</th><th>Failed</th></tr></thead><tbody>"
        );
        foreach (var w in worst)
        {
            b.Append("<tr><td>")
                .Append(Html.E(w.Id ?? $"row {w.Row}"))
                .Append("</td><td>")
                .Append(w.Output is null ? "<em>no output</em>" : Html.E(w.Output))
                .Append("</td><td><ul>");
            foreach (var f in w.Failed)
            {
                b.Append("<li>").Append(Html.E(f)).Append("</li>");
            }
            b.Append("</ul></td></tr>");
        }
        b.Append("</tbody></table></div></div></section>");
    }

    private static void JudgeSection(StringBuilder b, EvaluationReport r, (string Name, int Index)? column = null)
    {
        if (r.Judge is not { } judge)
        {
            return;
        }
        SectionHead(
            b,
            column is { } c ? $"judge-{c.Index}" : "judge",
            column is { } named ? $"Model judge on {named.Name}" : "Model judge",
            "What the model judge graded, and whether it can stand in for people."
        );
        b.Append("<div class=\"card\"><ul>");
        foreach (var line in judge.Lines())
        {
            b.Append("<li>").Append(Html.E(line)).Append("</li>");
        }
        b.Append("</ul></div></section>");
    }
}
