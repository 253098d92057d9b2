namespace Overlap.Server.Endpoints;

/// <summary><c>GET /healthz</c>: the one endpoint open without a key.</summary>
internal static class HealthEndpoints
{
    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthResponse("ok"))).AllowAnonymous().WithTags("Health");
}
