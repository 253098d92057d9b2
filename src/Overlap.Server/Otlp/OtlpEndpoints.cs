using System.Globalization;
using System.Net.Http.Headers;
using Google.Protobuf;
using Overlap.Events;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Ingest;
using Overlap.Server.Otlp.Wire;

namespace Overlap.Server.Otlp;

/// <summary>
/// <c>POST /v1/otlp/v1/traces</c>: OTLP over HTTP (an OTLP exporter's endpoint is <c>{server}/v1/otlp</c>), with the
/// ingest role like <c>/v1/events</c>. The body is an ExportTraceServiceRequest as <c>application/x-protobuf</c> or
/// <c>application/json</c> (OTLP/JSON), gzip allowed. Generative spans become predictions (<see cref="SpanPredictions"/>),
/// checked and stored as <c>/v1/events</c> stores events; the answer is 200 with an ExportTraceServiceResponse whose
/// <c>partial_success</c> counts the refused spans and says why, once the rest are durable. A body that does not parse is
/// 400, one over the size limit 413, another content type 415, a full write queue 429 with Retry-After.
/// </summary>
internal static class OtlpEndpoints
{
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    /// <summary>The most refusals the answer's error_message spells out; the rest are counted.</summary>
    private const int ReasonsShown = 10;

    public static RouteGroupBuilder MapOtlp(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/otlp").WithTags("OTLP").RequireAuthorization(Policies.Ingest).NotAudited();
        group
            .MapPost("/v1/traces", PostTracesAsync)
            .Produces(StatusCodes.Status200OK, contentType: Protobuf, additionalContentTypes: Json)
            .Produces(StatusCodes.Status400BadRequest, contentType: Protobuf, additionalContentTypes: Json)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    private static async Task<IResult> PostTracesAsync(
        HttpContext context,
        IngestQueue queue,
        IngestCheck check,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed)
            ? parsed.MediaType
            : null;
        var json = string.Equals(mediaType, Json, StringComparison.OrdinalIgnoreCase);
        if (!json && !string.Equals(mediaType, Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Status(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content type",
                $"OTLP traces are sent as {Protobuf} (an ExportTraceServiceRequest) or {Json} (OTLP/JSON), not '{context.Request.ContentType}'."
            );
        }
        byte[]? body;
        try
        {
            body = await RequestBody
                .ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return Invalid(
                "The request says 'Content-Encoding: gzip' but the body is not gzip; send it plain or compress it.",
                json
            );
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        if (body is null)
        {
            return OtlpAnswer.Error(
                StatusCodes.Status413PayloadTooLarge,
                OtlpAnswer.ResourceExhausted,
                $"An export is at most {Size(options.MaxBodyBytes)} (after gzip is undone); export smaller batches (the SDK's batch size). Nothing from this one was kept.",
                json
            );
        }
        ExportTraceServiceRequest request;
        try
        {
            request = json ? OtlpJson.Read(body) : ExportTraceServiceRequest.Parser.ParseFrom(body);
        }
        catch (OtlpFormatException e)
        {
            return Invalid($"The body is not an OTLP/JSON trace export: {e.Message}. Nothing from it was kept.", json);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Invalid(
                $"The body is not an ExportTraceServiceRequest in protobuf ({e.Message.TrimEnd('.')}); send what an OTLP exporter sends with protocol http/protobuf. Nothing from it was kept.",
                json
            );
        }
        var (ndjson, spans, refused) = SpanPredictions.Map(request);
        if (ndjson.Length > 0)
        {
            var (good, rejected) = await check
                .CheckAsync(EventParser.Parse(ndjson), cancellationToken)
                .ConfigureAwait(false);
            refused.AddRange(rejected.Select(e => $"{spans[e.Index]}: {e.Error}"));
            if (good.Count > 0)
            {
                var stored = queue.TryEnqueue(good);
                if (stored is null)
                {
                    context.Response.Headers.RetryAfter = "1";
                    return OtlpAnswer.Error(
                        StatusCodes.Status429TooManyRequests,
                        OtlpAnswer.ResourceExhausted,
                        "The server is storing other batches; export again after the Retry-After seconds. Nothing from this one was kept.",
                        json
                    );
                }
                try
                {
                    await stored.ConfigureAwait(false);
                }
                catch (StoreFailedException)
                {
                    return OtlpAnswer.Error(
                        StatusCodes.Status503ServiceUnavailable,
                        OtlpAnswer.Unavailable,
                        "Storing failed (the server logged why); nothing from this export was kept. Export it again.",
                        json
                    );
                }
            }
        }
        var response = new ExportTraceServiceResponse();
        if (refused.Count > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess
            {
                RejectedSpans = refused.Count,
                ErrorMessage = Reasons(refused),
            };
        }
        return new OtlpAnswer(StatusCodes.Status200OK, response, json);
    }

    private static string Size(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : bytes >= 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");

    private static OtlpAnswer Invalid(string message, bool json) =>
        OtlpAnswer.Error(StatusCodes.Status400BadRequest, OtlpAnswer.InvalidArgument, message, json);

    private static string Reasons(List<string> refused) =>
        string.Join("; ", refused.Take(ReasonsShown))
        + (
            refused.Count > ReasonsShown
                ? string.Create(CultureInfo.InvariantCulture, $"; and {refused.Count - ReasonsShown} more")
                : ""
        );
}
