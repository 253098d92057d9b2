using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Auth;
using Overlap.Server.Ingest;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server.Endpoints;

/// <summary>The review queue: what the contract's <c>review</c> policy sent to a person.</summary>
internal static class ReviewEndpoints
{
    private const int MaxItems = 500;

    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}/review").WithTags("Review");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read);
        return group;
    }

    private static async Task<Results<Ok<ReviewQueueResponse>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> ListAsync(
        string feature, string? status, int? limit, ReviewQueue queue, IReviewStore store, FeatureDirectory features, LogLoader loader, CancellationToken cancellationToken)
    {
        if (!features.Has(feature))
        {
            return Answers.NoSuchFeature(feature);
        }
        if (status is not (null or "pending" or "decided" or "escalated") || limit is < 1 or > MaxItems)
        {
            return TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "The query is not valid", Detail = $"status is pending, decided or escalated (or left out for all); limit is between 1 and {MaxItems}" });
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var routed = await queue.RouteAsync(feature, cancellationToken).ConfigureAwait(false);
        var counts = await store.CountReviewItemsAsync(feature, cancellationToken).ConfigureAwait(false);
        var items = await store.ListReviewItemsAsync(feature, status ?? "pending", limit ?? 50, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ReviewQueueResponse(feature, routed, counts, items));
    }
}
