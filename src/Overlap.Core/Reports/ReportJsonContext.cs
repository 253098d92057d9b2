using System.Text.Json.Serialization;
using Overlap.Core.Drift;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Planning;

namespace Overlap.Core.Reports;

/// <summary>Source-generated JSON for every report: snake_case keys, lowercase verdicts, NaN as null.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    UseStringEnumConverter = true,
    Converters = [typeof(FiniteDoubleConverter), typeof(VerdictConverter)]
)]
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(DriftReport))]
[JsonSerializable(typeof(SamplePlan))]
[JsonSerializable(typeof(ComparisonPlan))]
[JsonSerializable(typeof(MonitoringReport))]
[JsonSerializable(typeof(WindowReport))]
[JsonSerializable(typeof(RangeReport))]
[JsonSerializable(typeof(RunComparison))]
[JsonSerializable(typeof(JudgeAgreementReport))]
[JsonSerializable(typeof(Overlap.Core.Usage.UsageReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
