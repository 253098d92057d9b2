namespace Overlap.Core.Reports;

/// <summary>The formats a report can be written in.</summary>
public enum ReportFormat
{
    /// <summary>A readable summary for a terminal.</summary>
    Text,

    /// <summary>The JSON contract of record.</summary>
    Json,

    /// <summary>Markdown for a pull-request comment or a CI step summary.</summary>
    Markdown,

    /// <summary>JUnit XML: one test case per requirement.</summary>
    Junit,

    /// <summary>A self-contained HTML page with charts.</summary>
    Html,
}
