using System.Text.Json;
using Overlap.Core.Planning;

namespace Overlap.Core.Reports;

/// <summary>Plans as JSON.</summary>
public static partial class ReportJson
{
    /// <summary>A sample-size plan as indented JSON.</summary>
    public static string Write(SamplePlan plan) => JsonSerializer.Serialize(plan, ReportJsonContext.Default.SamplePlan);

    /// <summary>A two-model comparison plan as indented JSON.</summary>
    public static string Write(ComparisonPlan plan) =>
        JsonSerializer.Serialize(plan, ReportJsonContext.Default.ComparisonPlan);
}
