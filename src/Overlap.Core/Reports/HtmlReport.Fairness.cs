using System.Text;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

public static partial class HtmlReport
{
    /// <summary>Per attribute and intersection: each measure with its interval, verdict and sentence, then each group's rates.</summary>
    private static void FairnessSection(StringBuilder b, EvaluationReport r)
    {
        if (r.Fairness is not { } fairness)
        {
            return;
        }
        SectionHead(
            b,
            "fairness",
            "Fairness",
            $"How decisions compare between groups; a bar is judged on the interval, and only when every group has at least {Html.Count(fairness.MinGroupSize)} examples behind its rate."
        );
        b.Append("<div class=\"grid\" style=\"grid-template-columns:1fr\">");
        foreach (var g in fairness.Groupings)
        {
            b.Append("<div class=\"card flush\"><h3 style=\"padding:16px 22px 0\">By ")
                .Append(Html.E(g.By))
                .Append(
                    "</h3><div class=\"scroll\"><table class=\"req\"><thead><tr><th>Measure</th><th class=\"num\">Value</th><th class=\"num\">Interval</th><th>Bar</th><th>Verdict</th><th>What it means</th></tr></thead><tbody>"
                );
            foreach (var m in g.Measures)
            {
                b.Append("<tr><td class=\"mono\">")
                    .Append(Html.E(m.Metric))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.E(FigureText.Value(m.Value)))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.E(FigureText.Interval(m.CiLow, m.CiHigh, "—")))
                    .Append("</td><td>")
                    .Append(Html.E(FairnessText.Bar(m)))
                    .Append("</td><td>")
                    .Append(m.Verdict is { } v ? Pill(v) : "no bar")
                    .Append("</td><td>")
                    .Append(Html.E(m.Statement))
                    .Append("</td></tr>");
            }
            b.Append(
                "</tbody></table><table class=\"compact\"><thead><tr><th>Group</th><th class=\"num\">n</th><th class=\"num\">Positives</th><th class=\"num\">Selection rate</th><th class=\"num\">True positive rate</th><th class=\"num\">False positive rate</th><th class=\"num\">Calibration error</th></tr></thead><tbody>"
            );
            foreach (var x in g.Groups)
            {
                b.Append("<tr><td>")
                    .Append(Html.E(x.Value))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.Count(x.N))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.Count(x.Positives))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.E(FairnessText.Rate(x.SelectionRate)))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.E(FairnessText.Rate(x.TruePositiveRate)))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.E(FairnessText.Rate(x.FalsePositiveRate)))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.E(FairnessText.Calibration(x)))
                    .Append("</td></tr>");
            }
            b.Append("</tbody></table></div></div>");
        }
        b.Append("</div></section>");
    }
}
