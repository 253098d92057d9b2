namespace Overlap.Core.Reports;

/// <summary>Names and file extensions of <see cref="ReportFormat"/>.</summary>
public static class ReportFormats
{
    /// <summary>The format a --format word names, or null.</summary>
    public static ReportFormat? Parse(string name) =>
        name.ToLowerInvariant() switch
        {
            "text" or "txt" => ReportFormat.Text,
            "json" => ReportFormat.Json,
            "markdown" or "md" => ReportFormat.Markdown,
            "junit" or "xml" => ReportFormat.Junit,
            "html" or "htm" => ReportFormat.Html,
            _ => null,
        };

    /// <summary>The format a file name's extension implies, or null.</summary>
    public static ReportFormat? FromPath(string path) => Parse(Path.GetExtension(path).TrimStart('.'));
}
