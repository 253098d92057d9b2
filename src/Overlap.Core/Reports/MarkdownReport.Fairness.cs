using System.Text;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

public static partial class MarkdownReport
{
    /// <summary>Per attribute and intersection: each measure with its interval, bar, verdict and sentence, then each group's rates.</summary>
    private static void AppendFairness(StringBuilder sb, EvaluationReport report)
    {
        if (report.Fairness is not { } fairness)
        {
            return;
        }
        sb.AppendLine();
        sb.AppendLine("### Fairness");
        sb.AppendLine();
        sb.AppendLine(
            Inv,
            $"Groups need at least {fairness.MinGroupSize:#,0} examples behind a rate for a bar on it to be judged."
        );
        foreach (var g in fairness.Groupings)
        {
            sb.AppendLine();
            sb.AppendLine(Inv, $"#### By {Escape(g.By)}");
            sb.AppendLine();
            sb.AppendLine("| measure | value | interval | bar | verdict | in words |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var m in g.Measures)
            {
                sb.AppendLine(
                    Inv,
                    $"| {FairnessText.Name(m.Metric)} | {FigureText.Value(m.Value)} | {Escape(FigureText.Interval(m.CiLow, m.CiHigh, m.Reason))} | {FairnessText.Bar(m)} | {FairnessText.Verdict(m)} | {Escape(m.Statement)} |"
                );
            }
            sb.AppendLine();
            sb.AppendLine(
                "| group | n | positives | selection rate | true positive rate | false positive rate | calibration error |"
            );
            sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var x in g.Groups)
            {
                sb.AppendLine(
                    Inv,
                    $"| {Escape(x.Value)} | {x.N:#,0} | {x.Positives:#,0} | {FairnessText.Rate(x.SelectionRate)} | {FairnessText.Rate(x.TruePositiveRate)} | {FairnessText.Rate(x.FalsePositiveRate)} | {FairnessText.Calibration(x)} |"
                );
            }
            if (g.Missing > 0)
            {
                sb.AppendLine();
                sb.AppendLine(Inv, $"{g.Missing:#,0} examples have no value in {Escape(g.By)} and are in no group.");
            }
        }
    }
}
