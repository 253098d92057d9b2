using Microsoft.AspNetCore.Http.HttpResults;
using Overlap.Events;
using Overlap.Server.Api;
using Overlap.Server.Auth;

namespace Overlap.Server.Ingest;

/// <summary>
/// <c>POST /v1/events</c>: a JSON array or NDJSON of events, gzip allowed. Each bad event is answered with its index and
/// reason while the good ones are stored; 202 only once they are durable; 429 with Retry-After when the write queue is
/// full; 413 over the size limit.
/// </summary>
internal static class EventEndpoints
{
    public static RouteGroupBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events").RequireAuthorization(Policies.Ingest).NotAudited();
        group.MapPost("/", PostAsync);
        return group;
    }

    private static async Task<
        Results<Accepted<IngestResponse>, BadRequest<IngestResponse>, ProblemHttpResult>
    > PostAsync(
        HttpContext context,
        IngestQueue queue,
        IngestCheck check,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        byte[]? body;
        try
        {
            body = await RequestBody
                .ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return Problems.Status(
                400,
                "The body is not gzip",
                "The request says 'Content-Encoding: gzip' but the body is not gzip; send it plain or compress it."
            );
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        if (body is null)
        {
            return Problems.Status(
                413,
                "The batch is too large",
                $"A batch is at most {options.MaxBodyBytes / (1024 * 1024)} MiB (after gzip is undone); send smaller batches. Nothing from this one was kept."
            );
        }
        EventBatch batch;
        try
        {
            batch = EventParser.Parse(body);
        }
        catch (EventFormatException e)
        {
            return Problems.Status(
                400,
                "The body is not a batch of events",
                $"{char.ToUpperInvariant(e.Message[0])}{e.Message[1..]}. Nothing from this batch was kept."
            );
        }
        var (good, rejected) = await check.CheckAsync(batch, cancellationToken).ConfigureAwait(false);
        if (good.Count == 0)
        {
            return TypedResults.BadRequest(new IngestResponse(0, rejected));
        }
        var stored = queue.TryEnqueue(good);
        if (stored is null)
        {
            context.Response.Headers.RetryAfter = "1";
            return Problems.Status(
                429,
                "The write queue is full",
                "The server is storing other batches; retry this one after the Retry-After seconds. Nothing from it was kept."
            );
        }
        try
        {
            await stored.ConfigureAwait(false);
        }
        catch (StoreFailedException)
        {
            return Problems.Status(
                503,
                "The batch could not be stored",
                "Storing failed (the server logged why); nothing from this batch was kept. Retry it."
            );
        }
        return TypedResults.Accepted((string?)null, new IngestResponse(good.Count, rejected));
    }
}
