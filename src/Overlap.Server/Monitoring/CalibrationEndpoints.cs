using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Contracts;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;
using Overlap.Server.Evaluations;

namespace Overlap.Server.Monitoring;

/// <summary><c>POST /v1/features/{feature}/recalibrate</c>: refit the estimate's score calibration on recent labelled predictions (admin).</summary>
internal static class CalibrationEndpoints
{
    public static RouteGroupBuilder MapCalibration(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}").WithTags("Monitoring").RequireAuthorization(Policies.Admin);
        group.MapPost("/recalibrate", RecalibrateAsync);
        return group;
    }

    private static async Task<
        Results<
            Ok<RecalibrationResponse>,
            NotFound<ProblemDetails>,
            BadRequest<ProblemDetails>,
            Conflict<ProblemDetails>
        >
    > RecalibrateAsync(
        string feature,
        string? from,
        string? to,
        ClaimsPrincipal user,
        FeatureMonitor monitor,
        ContractRegistry features,
        CancellationToken cancellationToken
    )
    {
        if (features.Current(feature) is not var (contract, version, _))
        {
            return Answers.NoSuchFeature(feature);
        }
        if (contract.Task != TaskKind.Binary)
        {
            return Problems.BadRequest(
                "Nothing to recalibrate",
                $"{feature} is a {contract.Task.ToString().ToLowerInvariant()} contract; performance is estimated, and recalibrated, only for binary contracts"
            );
        }
        var (start, end) = await monitor
            .RecalibrationPeriodAsync(contract, version, cancellationToken)
            .ConfigureAwait(false);
        var asked = (From: from is null ? start : Answers.Time(from), To: to is null ? end : Answers.Time(to));
        if (asked.From is not { } f || asked.To is not { } t || f >= t)
        {
            return Problems.BadRequest(
                "The period is not valid",
                $"from and to must be ISO 8601 times or dates {Answers.TimeRange} with from before to, e.g. ?from=2026-11-01&to=2026-11-08; without them the recent labelled windows are used"
            );
        }
        var (basis, refusal) = await monitor
            .RecalibrateAsync(contract, version, f, t, EvaluationEndpoints.Who(user), cancellationToken)
            .ConfigureAwait(false);
        return basis is null
            ? Problems.Conflict("Too few labels to recalibrate on", refusal)
            : TypedResults.Ok(new RecalibrationResponse(feature, basis));
    }
}
