using System.Xml.Linq;
using Overlap.Core.Provenance;

namespace Overlap.Core.Reports;

/// <content>Provenance as the suite's properties.</content>
public static partial class JunitReport
{
    // JUnit's <properties> is where CI dashboards show a suite's environment.
    private static XElement? Properties(RunProvenance? provenance) =>
        provenance is null
            ? null
            : new XElement(
                "properties",
                ProvenanceFacts
                    .Of(provenance)
                    .Select(f => new XElement(
                        "property",
                        new XAttribute("name", $"overlap.provenance.{f.Key}"),
                        new XAttribute("value", f.Value)
                    ))
            );
}
