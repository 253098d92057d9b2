using System.Text;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

/// <summary>
/// A self-contained HTML report: inline CSS and inline SVG charts drawn here, no script, no font, image
/// or style fetched from anywhere, so the file opens offline, prints, and follows the reader's light or
/// dark preference. The markup is also well-formed XML, so tests can parse it.
/// </summary>
public static partial class HtmlReport
{
    private static void Open(StringBuilder b, string title)
    {
        b.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
            .Append("<meta name=\"color-scheme\" content=\"light dark\"/>")
            .Append("<meta name=\"generator\" content=\"Overlap\"/>")
            .Append("<title>")
            .Append(Html.E(title))
            .Append("</title><style>")
            .Append(Css)
            .Append("</style></head>\n<body><main class=\"page\">");
    }

    private static string Close(StringBuilder b) =>
        b.Append(
                "<footer>Made by Overlap · every figure is shown with its interval; verdicts are judged on the interval, never the point estimate.</footer></main></body></html>\n"
            )
            .ToString();

    private static void SectionHead(StringBuilder b, string id, string title, string? note = null)
    {
        b.Append("<section id=\"")
            .Append(id)
            .Append("\"><div class=\"section-head\"><h2>")
            .Append(Html.E(title))
            .Append("</h2>");
        if (note is not null)
        {
            b.Append("<p>").Append(Html.E(note)).Append("</p>");
        }
        b.Append("</div>");
    }

    private static string Pill(Verdict verdict, string? text = null) =>
        $"<span class=\"pill {VerdictText.Word(verdict)}\">{Html.E(text ?? VerdictText.Word(verdict))}</span>";

    private static void Fact(StringBuilder b, string key, string value) =>
        b.Append("<div><dt>").Append(Html.E(key)).Append("</dt><dd>").Append(Html.E(value)).Append("</dd></div>");

    private static void Lead(StringBuilder b, IEnumerable<string> statements)
    {
        var list = statements.ToList();
        if (list.Count == 0)
        {
            return;
        }
        b.Append("<ul class=\"lead\">");
        foreach (var s in list)
        {
            b.Append("<li>").Append(Html.E(s)).Append("</li>");
        }
        b.Append("</ul>");
    }
}
