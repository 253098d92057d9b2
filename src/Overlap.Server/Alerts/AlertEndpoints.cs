using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Api;
using Overlap.Server.Auth;

namespace Overlap.Server.Alerts;

/// <summary>Alerts: current states and history (readers), evaluation on demand (admin).</summary>
internal static class AlertEndpoints
{
    public static RouteGroupBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}/alerts").WithTags("Alerts");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).RequireFeature();
        group.MapPost("/evaluate", EvaluateAsync).RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<Ok<AlertsResponse>> ListAsync(
        string feature,
        AlertService alerts,
        CancellationToken cancellationToken
    ) =>
        TypedResults.Ok(
            new AlertsResponse(
                feature,
                await alerts.StatesAsync(feature, cancellationToken).ConfigureAwait(false),
                await alerts.HistoryAsync(feature, cancellationToken).ConfigureAwait(false)
            )
        );

    private static async Task<
        Results<Ok<AlertEvaluation>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > EvaluateAsync(string feature, string? window, AlertService alerts, CancellationToken cancellationToken)
    {
        DateTimeOffset? start = null;
        if (window is not null && (start = Answers.Time(window)) is null)
        {
            return Problems.BadRequest(
                "The window is not valid",
                $"window must be an ISO 8601 date or time {Answers.TimeRange} inside the window to evaluate, e.g. ?window=2026-11-20; leave it out for the window due now"
            );
        }
        var evaluation = await alerts.EvaluateAsync(feature, start, cancellationToken).ConfigureAwait(false);
        return evaluation is null ? Answers.NoSuchFeature(feature) : TypedResults.Ok(evaluation);
    }
}
