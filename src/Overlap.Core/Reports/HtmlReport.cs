using System.Net;
using System.Text;
using Overlap.Core.Drift;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

/// <summary>A self-contained HTML report: no script, no font and no style is fetched from anywhere.</summary>
public static class HtmlReport
{
    /// <summary>The evaluation as one HTML page.</summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Page($"{report.Feature}: {VerdictText.Headline(report.Verdict)}", report.Statements);
    }

    /// <summary>The drift report as one HTML page.</summary>
    public static string Write(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Page($"{report.Feature ?? "drift"}: {(report.DatasetDrift ? "DRIFT" : "NO DRIFT")}", report.Statements);
    }

    private static string Page(string title, IEnumerable<string> statements)
    {
        var b = new StringBuilder();
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title></head><body><h1>")
            .Append(WebUtility.HtmlEncode(title)).Append("</h1><ul>");
        foreach (var s in statements)
        {
            b.Append("<li>").Append(WebUtility.HtmlEncode(s)).Append("</li>");
        }
        return b.Append("</ul></body></html>\n").ToString();
    }
}
