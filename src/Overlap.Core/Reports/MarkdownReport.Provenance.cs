using System.Text;
using Overlap.Core.Provenance;

namespace Overlap.Core.Reports;

/// <content>Provenance: what produced the report.</content>
public static partial class MarkdownReport
{
    // Folded, so the verdict stays the first thing a pull-request comment shows.
    private static void AppendProvenance(StringBuilder sb, RunProvenance? provenance)
    {
        if (provenance is null)
        {
            return;
        }
        sb.AppendLine();
        sb.AppendLine("<details><summary>Provenance</summary>");
        sb.AppendLine();
        sb.AppendLine("| what | value |");
        sb.AppendLine("| --- | --- |");
        foreach (var (key, value) in ProvenanceFacts.Of(provenance))
        {
            sb.AppendLine(Inv, $"| {key} | {Escape(value)} |");
        }
        sb.AppendLine();
        sb.AppendLine("</details>");
    }
}
