using System.Text.Json;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

/// <summary>Reports as JSON, the contract of record.</summary>
public static partial class ReportJson
{
    /// <summary>An evaluation report as indented JSON.</summary>
    public static string Write(EvaluationReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.EvaluationReport);

    /// <summary>Reads an evaluation report back (for comparisons and tests).</summary>
    public static EvaluationReport? ReadEvaluation(string json) => JsonSerializer.Deserialize(json, ReportJsonContext.Default.EvaluationReport);
}
