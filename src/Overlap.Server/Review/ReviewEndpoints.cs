using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Overlap.Core.Text;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Review;

/// <summary>The review queue: what the contract's <c>review</c> policy sent to a person.</summary>
internal static class ReviewEndpoints
{
    private const int MaxItems = 500;

    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}/review").WithTags("Review").RequireFeature();
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).Audited(AuditActions.Read);
        group.MapPost("/{predictionId}/claim", ClaimAsync).RequireAuthorization(Policies.Review);
        group.MapPost("/{predictionId}/decision", DecideAsync).RequireAuthorization(Policies.Review);
        group.MapGet("/cases.jsonl", CasesAsync).RequireAuthorization(Policies.Review).Audited(AuditActions.Export);
        group.MapGet("/grades", GradesAsync).RequireAuthorization(Policies.Read);
        return group;
    }

    /// <summary>
    /// The prediction id as sent: a client escapes a slash in an id as %2F, which routing leaves escaped in a path
    /// segment, so the segment is unescaped here ("spam-2%2F00154" is the prediction "spam-2/00154").
    /// </summary>
    private static string Id(string segment) => Uri.UnescapeDataString(segment);

    /// <summary>Who is deciding: the key's id (names may repeat).</summary>
    private static string Reviewer(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";

    private static async Task<
        Results<Ok<ReviewItemView>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>
    > ClaimAsync(
        string feature,
        string predictionId,
        ReviewQueue queue,
        HttpContext context,
        CancellationToken cancellationToken
    )
    {
        predictionId = Id(predictionId);
        var (item, problem) = await queue
            .ClaimAsync(feature, predictionId, Reviewer(context), cancellationToken)
            .ConfigureAwait(false);
        if (item is null)
        {
            return NotRouted(feature, predictionId);
        }
        return problem is null
            ? TypedResults.Ok(ReviewItemView.Of(item))
            : Problems.Conflict("The item is not yours to decide", problem);
    }

    private static async Task<
        Results<
            Ok<ReviewDecisionResponse>,
            NotFound<ProblemDetails>,
            BadRequest<ProblemDetails>,
            Conflict<ProblemDetails>
        >
    > DecideAsync(
        string feature,
        string predictionId,
        ReviewQueue queue,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        HttpContext context,
        CancellationToken cancellationToken
    )
    {
        predictionId = Id(predictionId);
        ReviewDecisionRequest? request;
        try
        {
            request = await context
                .Request.ReadFromJsonAsync<ReviewDecisionRequest>(json.Value.SerializerOptions, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            request = null;
        }
        if (request is null)
        {
            return Problems.BadRequest(
                "The decision is not valid",
                """send a JSON object such as {"decision": "correct", "label": "fraud", "category": "stolen_card", "note": "…"} with Content-Type: application/json"""
            );
        }
        var outcome = await queue
            .DecideAsync(
                feature,
                predictionId,
                Reviewer(context),
                request.Decision ?? "",
                request.Label,
                request.Category,
                request.Note,
                request.Grades,
                cancellationToken
            )
            .ConfigureAwait(false);
        return outcome.Result switch
        {
            DecisionResult.NotRouted => NotRouted(feature, predictionId),
            DecisionResult.Invalid => Problems.BadRequest("The decision is not valid", outcome.Problem),
            DecisionResult.NotHeld => Problems.Conflict("The item is not yours to decide", outcome.Problem),
            _ => TypedResults.Ok(new ReviewDecisionResponse(predictionId, outcome.Status, outcome.Label)),
        };
    }

    /// <summary>
    /// <c>GET …/review/cases.jsonl</c>: rejected outputs and edge cases as new evaluation cases (<see cref="ReviewCases"/>);
    /// 400 for a feature that is not generative.
    /// </summary>
    private static async Task<Results<ContentHttpResult, BadRequest<ProblemDetails>>> CasesAsync(
        string feature,
        ContractRegistry features,
        IReviewStore store,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        if (features.Find(feature) is not { Generative: not null } contract)
        {
            return Problems.BadRequest(
                "Not a generative feature",
                $"{feature} is not a generative feature: its cases come from the model's labels, not from graded outputs; export training rows with GET /v1/features/{feature}/export."
            );
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var outputs = await store.ReviewedOutputsAsync(feature, cancellationToken).ConfigureAwait(false);
        return TypedResults.Content(ReviewCases.Write(contract, outputs), "application/x-ndjson; charset=utf-8");
    }

    /// <summary>
    /// <c>GET …/review/grades?from=…&amp;to=…</c>: the rubric grades, people's and the model judge's, of outputs predicted
    /// in [from, to) (the last 30 days when left out).
    /// </summary>
    private static async Task<Results<Ok<RubricGradesResponse>, BadRequest<ProblemDetails>>> GradesAsync(
        string feature,
        DateTimeOffset? from,
        DateTimeOffset? to,
        ContractRegistry features,
        Monitoring.IRubricGradeSource grades,
        ServerOptions options,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        var end = to ?? options.Time.GetUtcNow();
        var latest = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);
        if (end <= DateTimeOffset.UnixEpoch || end > latest || from < DateTimeOffset.UnixEpoch || from >= end)
        {
            return Problems.BadRequest(
                "The range is not valid",
                "from and to are ISO 8601 times after 1970 (such as 2026-11-23T00:00:00Z), from before to"
            );
        }
        var start = from
            ?? (end - DateTimeOffset.UnixEpoch > TimeSpan.FromDays(30) ? end.AddDays(-30) : DateTimeOffset.UnixEpoch);
        var rubric = features.Find(feature) is { } contract ? DecisionGrades.RubricOf(contract) ?? [] : [];
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var found = await grades.GradesAsync(feature, start, end, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(
            new RubricGradesResponse(
                feature,
                start,
                end,
                [
                    .. found.Select(g => new RubricGradeView(
                        g.OutputId,
                        g.Criterion,
                        g.Grade is { } n && rubric.FirstOrDefault(c => c.Name == g.Criterion) is { } criterion
                            ? DecisionGrades.Shown(criterion, n).ToString()
                            : g.Grade?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        g.Source == Core.Generative.GradeSource.Person ? "person" : "model"
                    )),
                ]
            )
        );
    }

    private static NotFound<ProblemDetails> NotRouted(string feature, string predictionId) =>
        Problems.NotFound(
            "No such review item",
            $"Prediction '{predictionId}' of {feature} was not routed to review; list the queue with GET /v1/features/{feature}/review."
        );

    private static async Task<
        Results<Ok<ReviewQueueResponse>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > ListAsync(
        string feature,
        string? status,
        int? limit,
        ReviewQueue queue,
        ReviewScheduler routing,
        ContractRegistry features,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        var listed = ReviewStatus.Pending;
        if ((status is not null && !WireName.TryParse(status, out listed)) || limit is < 1 or > MaxItems)
        {
            return Problems.BadRequest(
                "The query is not valid",
                $"status is pending, second, decided or escalated (or left out for pending); limit is between 1 and {MaxItems}"
            );
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        // Routing is the scheduler's: the read waits for a pass that covers what was loaded, and writes nothing.
        await routing.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var routed = features.Find(feature) is { } contract && ReviewRouting.Of(contract) is not null;
        var counts = await queue.CountsAsync(feature, cancellationToken).ConfigureAwait(false);
        var items = await queue.ItemsAsync(feature, listed, limit ?? 50, cancellationToken).ConfigureAwait(false);
        var perDay = await queue.DecidedPerDayAsync(feature, cancellationToken).ConfigureAwait(false);
        var agreement = await queue.AgreementAsync(feature, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(
            new ReviewQueueResponse(
                feature,
                routed,
                ReviewCountsView.Of(counts),
                perDay,
                AgreementFigures.Of(agreement),
                [.. items.Select(ReviewItemView.Of)]
            )
        );
    }
}
