using System.Text;
using Overlap.Core.Provenance;

namespace Overlap.Core.Reports;

/// <content>Provenance: what produced the report, above the footer.</content>
public static partial class HtmlReport
{
    private static void AppendProvenance(StringBuilder b, RunProvenance? provenance)
    {
        if (provenance is null)
        {
            return;
        }
        SectionHead(b, "provenance", "Provenance", "What produced this report, so it can be checked and repeated.");
        b.Append("<dl class=\"facts\">");
        foreach (var (key, value) in ProvenanceFacts.Of(provenance))
        {
            Fact(b, key, value);
        }
        b.Append("</dl></section>");
    }
}
