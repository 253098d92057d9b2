using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Usage;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;

namespace Overlap.Server.Monitoring.Usage;

/// <summary>
/// <c>GET /v1/features/{feature}/usage?from=&amp;to=&amp;period=week|day</c>: the feature's users and business impact
/// (predictions, users, feedback, business events by decision and version, the cost of labelled errors, activation and
/// weekly cohorts), with the contract's user-metric requirements judged.
/// </summary>
internal static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}").WithTags("Monitoring").RequireAuthorization(Policies.Read);
        group.MapGet("/usage", UsageAsync);
        return group;
    }

    private static async Task<
        Results<ReportResult<UsageReport>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > UsageAsync(
        string feature,
        string? from,
        string? to,
        string? period,
        UsageReader reader,
        ContractRegistry features,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        if (features.Find(feature) is not { } contract)
        {
            return Answers.NoSuchFeature(feature);
        }
        UsagePeriod? length = (period ?? "week") switch
        {
            "week" => UsagePeriod.Week,
            "day" => UsagePeriod.Day,
            _ => null,
        };
        if (length is not { } p)
        {
            return Bad($"period '{period}' is not offered; use week or day");
        }
        DateTimeOffset? start = null,
            end = null;
        if (
            (from is not null && (start = Answers.Time(from)) is null)
            || (to is not null && (end = Answers.Time(to)) is null)
        )
        {
            return Bad(
                $"from and to must be ISO 8601 dates or times {Answers.TimeRange}, e.g. ?from=2026-09-07&to=2026-12-07"
            );
        }
        if (UsageReader.Range(start, end, p, options.Time.GetUtcNow(), out var problem) is not var (f, t))
        {
            return Bad(problem!);
        }
        return Reports.Ok(await reader.ReadAsync(contract, f, t, p, cancellationToken).ConfigureAwait(false));
    }

    private static BadRequest<ProblemDetails> Bad(string detail) =>
        Problems.BadRequest("The usage request is not valid", detail);
}
