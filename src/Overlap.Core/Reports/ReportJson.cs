using System.Text.Json;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;

namespace Overlap.Core.Reports;

/// <summary>Reports as JSON, the contract of record.</summary>
public static partial class ReportJson
{
    /// <summary>An evaluation report as indented JSON.</summary>
    public static string Write(EvaluationReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.EvaluationReport);

    /// <summary>Production windows as indented JSON; each window's evaluation has the shape of <c>overlap eval</c>'s.</summary>
    public static string Write(MonitoringReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.MonitoringReport);

    /// <summary>One production window as JSON, as the server stores it once computed.</summary>
    public static string Write(WindowReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.WindowReport);

    /// <summary>A range of production judged from its merged window summaries, as JSON.</summary>
    public static string Write(RangeReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.RangeReport);

    /// <summary>Reads a range report written by <see cref="Write(RangeReport)"/>.</summary>
    public static RangeReport? ReadRange(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.RangeReport);

    /// <summary>Reads a stored production window back.</summary>
    public static WindowReport? ReadWindow(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.WindowReport);

    /// <summary>Reads production windows back (for clients and tests).</summary>
    public static MonitoringReport? ReadMonitoring(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.MonitoringReport);

    /// <summary>Two evaluation runs compared, as indented JSON.</summary>
    public static string Write(RunComparison comparison) =>
        JsonSerializer.Serialize(comparison, ReportJsonContext.Default.RunComparison);

    /// <summary>A model judge's agreement with people per criterion as JSON.</summary>
    public static string Write(JudgeAgreementReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.JudgeAgreementReport);

    /// <summary>A feature's users and business impact.</summary>
    public static string Write(Overlap.Core.Usage.UsageReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.UsageReport);

    /// <summary>Reads a run comparison back (for clients and tests).</summary>
    public static RunComparison? ReadRunComparison(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.RunComparison);

    /// <summary>Reads an evaluation report back (for comparisons and tests).</summary>
    public static EvaluationReport? ReadEvaluation(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.EvaluationReport);
}
