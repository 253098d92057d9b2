using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Alerts;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Server.Endpoints;

/// <summary>Alerts: current states and history (readers), evaluation on demand (admin).</summary>
internal static class AlertEndpoints
{
    private const int HistoryLimit = 200;

    public static RouteGroupBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}/alerts").WithTags("Alerts");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read);
        group.MapPost("/evaluate", EvaluateAsync).RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<Results<Ok<AlertsResponse>, NotFound<ProblemDetails>>> ListAsync(string feature, IAlertStore store, FeatureDirectory features, CancellationToken cancellationToken)
    {
        if (!features.Has(feature))
        {
            return Answers.NoSuchFeature(feature);
        }
        var states = await store.GetAlertStatesAsync(feature, cancellationToken).ConfigureAwait(false);
        var history = await store.ListAlertEventsAsync(feature, HistoryLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AlertsResponse(feature, states, history));
    }

    private static async Task<Results<Ok<AlertEvaluation>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> EvaluateAsync(string feature, string? window, AlertService alerts, CancellationToken cancellationToken)
    {
        DateTimeOffset? start = null;
        if (window is not null && (start = Answers.Time(window)) is null)
        {
            return TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "The window is not valid", Detail = $"window must be an ISO 8601 date or time {Answers.TimeRange} inside the window to evaluate, e.g. ?window=2026-11-20; leave it out for the window due now" });
        }
        var evaluation = await alerts.EvaluateAsync(feature, start, cancellationToken).ConfigureAwait(false);
        return evaluation is null ? Answers.NoSuchFeature(feature) : TypedResults.Ok(evaluation);
    }
}
