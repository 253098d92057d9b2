using System.Xml.Linq;
using Overlap.Core.Evaluation;
using Overlap.Core.Provenance;

namespace Overlap.Core.Reports;

/// <summary>Reports as JUnit XML: one test case per requirement (or per drift column), for CI dashboards.</summary>
public static partial class JunitReport
{
    /// <summary>An evaluation: failures for failed requirements, skipped for inconclusive and production-only ones.</summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cases = report
            .Requirements.Select(r =>
            {
                var element = new XElement(
                    "testcase",
                    new XAttribute("classname", $"overlap.{report.Feature}"),
                    new XAttribute("name", VerdictText.Bar(r))
                );
                switch (r.Verdict)
                {
                    case Verdict.Fail:
                        element.Add(new XElement("failure", new XAttribute("message", r.Statement), r.Statement));
                        break;
                    case Verdict.Inconclusive:
                    case Verdict.Skipped:
                        element.Add(new XElement("skipped", new XAttribute("message", r.Statement)));
                        break;
                    default:
                        element.Add(new XElement("system-out", r.Statement));
                        break;
                }
                return element;
            })
            .ToList();
        return Suite(
            $"overlap.{report.Feature}",
            cases,
            report.Requirements.Count(r => r.Verdict == Verdict.Fail),
            report.Requirements.Count(r => r.Verdict is Verdict.Inconclusive or Verdict.Skipped),
            report.Provenance
        );
    }

    private static string Suite(string name, List<XElement> cases, int failures, int skipped, RunProvenance? provenance)
    {
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", name),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("skipped", skipped),
            new XAttribute("errors", 0),
            Properties(provenance),
            cases
        );
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).Declaration
            + Environment.NewLine
            + new XElement("testsuites", suite).ToString();
    }
}
