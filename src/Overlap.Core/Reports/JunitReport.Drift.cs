using System.Globalization;
using System.Xml.Linq;
using Overlap.Core.Drift;
using Overlap.Core.Statements;

namespace Overlap.Core.Reports;

/// <content>Drift reports.</content>
public static partial class JunitReport
{
    /// <summary>A drift report: a failure per drifted column.</summary>
    public static string Write(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cases = report
            .Columns.Select(c =>
            {
                var element = new XElement(
                    "testcase",
                    new XAttribute("classname", "overlap.drift"),
                    new XAttribute("name", c.Column)
                );
                var detail = c.Meaning
                    ?? c.Reason
                    ?? string.Create(
                        CultureInfo.InvariantCulture,
                        $"{c.Test} = {c.Statistic:0.####}{(c.PValue is { } p ? ", " + Phrasing.PValue(p) : string.Empty)}, threshold {c.Threshold}"
                    );
                element.Add(
                    c.DriftVerdict switch
                    {
                        true => new XElement("failure", new XAttribute("message", $"drifted: {detail}"), detail),
                        false => new XElement("system-out", detail),
                        null => new XElement("skipped", new XAttribute("message", detail)),
                    }
                );
                return element;
            })
            .ToList();
        return Suite("overlap.drift", cases, report.Columns.Count(c => c.Drift), report.NotJudged, report.Provenance);
    }
}
