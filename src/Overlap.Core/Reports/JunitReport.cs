using System.Xml.Linq;
using Overlap.Core.Evaluation;
using Overlap.Core.Provenance;

namespace Overlap.Core.Reports;

/// <summary>Reports as JUnit XML: one test case per requirement (or per drift column), for CI dashboards.</summary>
public static partial class JunitReport
{
    /// <summary>
    /// An evaluation: failures for failed requirements, skipped for inconclusive and production-only ones. A matrix run
    /// gives one test case per output column and requirement, the column in the class name
    /// (<c>overlap.feature.column</c>).
    /// </summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var judged = report.Outputs is { Count: > 0 } columns
            ? columns.Select(c => (Class: $"overlap.{report.Feature}.{c.Output}", c.Report.Requirements)).ToList()
            : [(Class: $"overlap.{report.Feature}", report.Requirements)];
        var requirements = judged.SelectMany(j => j.Requirements).ToList();
        var cases = judged
            .SelectMany(j => j.Requirements.Select(r => (j.Class, Requirement: r)))
            .Select(x =>
            {
                var r = x.Requirement;
                var element = new XElement(
                    "testcase",
                    new XAttribute("classname", x.Class),
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
            requirements.Count(r => r.Verdict == Verdict.Fail),
            requirements.Count(r => r.Verdict is Verdict.Inconclusive or Verdict.Skipped),
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
