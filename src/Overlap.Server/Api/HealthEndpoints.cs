using Microsoft.AspNetCore.Http.HttpResults;
using Overlap.Server.Ingest;

namespace Overlap.Server.Api;

/// <summary>
/// <c>GET /healthz</c>: the one endpoint open without a key. 200 <c>ok</c> when the data folder takes a write (a small
/// file written, synced and removed) and the loader keeps up; 503 <c>unhealthy</c> with the reason otherwise, so a load
/// balancer stops sending traffic to a server that would acknowledge nothing or show stale figures. Both say how many
/// bytes of acknowledged events wait in the ingest log for the loader (0 once everything acknowledged is stored).
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>The probe file, in the data folder beside the store.</summary>
    private const string ProbeFile = ".health-probe";

    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", Check).AllowAnonymous().WithTags("Health");

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Check(
        ServerOptions options,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        var reason = await WriteProblemAsync(options.DataFolder, cancellationToken).ConfigureAwait(false)
            ?? loader.Stuck();
        var waiting = loader.WaitingBytes();
        return reason is null
            ? TypedResults.Ok(new HealthResponse("ok", WaitingBytes: waiting))
            : TypedResults.Json(
                new HealthResponse("unhealthy", reason, waiting),
                ServerJsonContext.Default.HealthResponse,
                statusCode: StatusCodes.Status503ServiceUnavailable
            );
    }

    /// <summary>Why the data folder cannot be written, or null when a probe file was written, synced and removed.</summary>
    private static async Task<string?> WriteProblemAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, ProbeFile);
        try
        {
            var stream = new FileStream(
                path,
                FileMode.Create,
                FileAccess.Write,
                FileShare.None,
                1,
                FileOptions.WriteThrough
            );
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync("ok\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Delete(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the data folder {Path.GetFullPath(folder)} cannot be written ({e.Message.TrimEnd('.')}); free disk space or fix its permissions";
        }
    }
}
