using System.Text;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

// A generative evaluation's worst outputs, each with every check and criterion it failed.
public static partial class MarkdownReport
{
    private static void AppendWorstOutputs(StringBuilder sb, EvaluationReport report)
    {
        if (report.WorstOutputs is not { Count: > 0 } worst)
        {
            return;
        }
        sb.AppendLine();
        sb.AppendLine("### Worst outputs");
        sb.AppendLine();
        sb.AppendLine("| case | output | failed |");
        sb.AppendLine("| --- | --- | --- |");
        foreach (var w in worst)
        {
            var output = w.Output is null ? "_no output_" : Escape(w.Output.ReplaceLineEndings(" "));
            var failed = string.Join("<br>", w.Failed.Select(f => Escape(f.ReplaceLineEndings(" "))));
            sb.AppendLine(Inv, $"| {Escape(w.Id ?? $"row {w.Row}")} | {output} | {failed} |");
        }
    }

    private static void AppendJudge(StringBuilder sb, EvaluationReport report)
    {
        if (report.Judge is not { } judge)
        {
            return;
        }
        sb.AppendLine();
        sb.AppendLine("### Model judge");
        sb.AppendLine();
        foreach (var line in judge.Lines())
        {
            sb.AppendLine(Inv, $"- {Escape(line)}");
        }
    }
}
