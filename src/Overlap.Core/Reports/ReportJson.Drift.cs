using System.Text.Json;
using Overlap.Core.Drift;

namespace Overlap.Core.Reports;

/// <content>Drift reports.</content>
public static partial class ReportJson
{
    /// <summary>A drift report as indented JSON.</summary>
    public static string Write(DriftReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.DriftReport);
}
