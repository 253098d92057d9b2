using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Text;
using Overlap.Server.Api;
using Overlap.Server.Auth;

namespace Overlap.Server.Judging;

/// <summary><c>GET /v1/features/{feature}/judge</c>: where the model judge in production stands for a feature.</summary>
internal static class JudgeEndpoints
{
    public static RouteHandlerBuilder MapJudge(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/features/{feature}/judge", Status)
            .WithTags("Review")
            .RequireFeature()
            .RequireAuthorization(Policies.Read);

    private static Results<Ok<JudgeStatusResponse>, NotFound<ProblemDetails>> Status(
        string feature,
        ProductionJudge judge
    ) =>
        judge.Status(feature) is { } status
            ? TypedResults.Ok(
                new JudgeStatusResponse(
                    feature,
                    WireName.Of(status.State),
                    status.Reason,
                    status.SpentToday,
                    status.BudgetPerDay,
                    status.Graded
                )
            )
            : Problems.NotFound(
                "No model judge",
                $"{feature}'s contract has no judges.model, so no model grades its outputs; add one (see docs/judges.md)."
            );
}

/// <summary>
/// The production judge of a feature: its state (starting, grading, off, budget_spent, failing), why in words, what it
/// spent today, the day's budget (null when none) and the outputs it graded since the server started.
/// </summary>
public sealed record JudgeStatusResponse(
    string Feature,
    string State,
    string Reason,
    double SpentToday,
    double? BudgetPerDay,
    long Graded
);
