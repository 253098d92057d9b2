using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Overlap.Events;
using Overlap.Server.Alerts;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Monitoring;

namespace Overlap.Server;

/// <summary>Source-generated JSON for every body the server writes: snake_case, as the CLI's reports.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(Experiments.ExperimentSummary[]))]
[JsonSerializable(typeof(Experiments.ExperimentResponse))]
[JsonSerializable(typeof(Experiments.ExperimentHistoryResponse))]
[JsonSerializable(typeof(Overlap.Events.Experiments.ExperimentArm))]
[JsonSerializable(typeof(Overlap.Events.Experiments.ExperimentRule))]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(Privacy.SubjectResponse))]
[JsonSerializable(typeof(Audit.AuditPage))]
[JsonSerializable(typeof(EventError))]
[JsonSerializable(typeof(ContractResponse))]
[JsonSerializable(typeof(ContractVersionSummary[]))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(CountsResponse))]
[JsonSerializable(typeof(WebhookBody))]
[JsonSerializable(typeof(AlertEvaluation))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(Review.ReviewQueueResponse))]
[JsonSerializable(typeof(Review.ReviewDecisionRequest))]
[JsonSerializable(typeof(Review.RubricGradesResponse))]
[JsonSerializable(typeof(Judging.JudgeStatusResponse))]
[JsonSerializable(typeof(Review.ReviewDecisionResponse))]
[JsonSerializable(typeof(Review.ReviewItemView))]
[JsonSerializable(typeof(Evaluations.EvaluationRunView))]
[JsonSerializable(typeof(Evaluations.EvaluationRunView[]))]
[JsonSerializable(typeof(AdminKey[]))]
[JsonSerializable(typeof(NewAdminKey))]
[JsonSerializable(typeof(AdminKeyRequest))]
[JsonSerializable(typeof(AdminUser[]))]
[JsonSerializable(typeof(AdminUserRequest))]
[JsonSerializable(typeof(AdminPasswordRequest))]
[JsonSerializable(typeof(AdminPassword))]
[JsonSerializable(typeof(RecalibrationResponse))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
