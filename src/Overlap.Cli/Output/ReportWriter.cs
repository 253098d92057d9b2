using Overlap.Core.Drift;
using Overlap.Core.Evaluation;
using Overlap.Core.Reports;

namespace Overlap.Cli.Output;

/// <summary>Renders reports in a chosen format and writes report files.</summary>
internal static class ReportWriter
{
    public static string Render(EvaluationReport report, ReportFormat format) =>
        format switch
        {
            ReportFormat.Json => ReportJson.Write(report) + Environment.NewLine,
            ReportFormat.Markdown => MarkdownReport.Write(report),
            ReportFormat.Junit => JunitReport.Write(report) + Environment.NewLine,
            ReportFormat.Html => HtmlReport.Write(report),
            _ => TextReport.Render(report),
        };

    public static string Render(DriftReport report, ReportFormat format) =>
        format switch
        {
            ReportFormat.Json => ReportJson.Write(report) + Environment.NewLine,
            ReportFormat.Markdown => MarkdownReport.Write(report),
            ReportFormat.Junit => JunitReport.Write(report) + Environment.NewLine,
            ReportFormat.Html => HtmlReport.Write(report),
            _ => TextReport.Render(report),
        };

    public static void WriteFile(string path, string content)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
            File.WriteAllText(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserException(ExitCodes.CantCreate, $"cannot write {path}: {e.Message}");
        }
    }
}
