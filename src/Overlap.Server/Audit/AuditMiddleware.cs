using Microsoft.AspNetCore.Components.Endpoints;
using Overlap.Storage;

namespace Overlap.Server.Audit;

/// <summary>
/// Records the API's requests in the audit log once they are answered: every signed-in request that changes or deletes
/// (POST, PUT, PATCH, DELETE) but ingest, and every request to an endpoint marked <see cref="AuditMark"/> (exports,
/// review cases, subjects, keys and users, the audit log itself), with the status it ended with, so an attempt a role
/// refused (403) is recorded too. A request nobody signed in for (401) is not: it did nothing, and recording it would
/// let anyone fill the log. The dashboard's pages record their forms themselves (<see cref="AuditTrail"/>): their
/// answer is a page whether the form was taken or not.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, AuditTrail trail)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var mark = endpoint?.Metadata.GetMetadata<AuditMark>();
        if (
            endpoint is null
            || mark == AuditMark.Skip
            || endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
        )
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var action = mark?.Action ?? ActionOf(context.Request.Method);
        if (action is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        int? failed = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            // The exception handler further out answers 500 (or 503 when the store is down) once this has unwound.
            failed = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                var target = mark?.Target?.Invoke(context)
                    ?? $"{context.Request.Method} {context.Request.Path}{Query(context)}";
                // The API names a feature {feature}; the dashboard's own endpoints (/features/{name}/…) {name}, which in the
                // admin API is a user's.
                var feature =
                    context.GetRouteValue("feature") as string
                    ?? (
                        context.Request.Path.StartsWithSegments("/features", StringComparison.Ordinal)
                            ? context.GetRouteValue("name") as string
                            : null
                    );
                await trail
                    .RecordAsync(
                        context.User,
                        action,
                        target,
                        feature,
                        failed ?? context.Response.StatusCode,
                        AuditTrail.DetailOf(context),
                        context.RequestAborted
                    )
                    .ConfigureAwait(false);
            }
        }
    }

    private static string? ActionOf(string method) =>
        HttpMethods.IsDelete(method) ? AuditActions.Delete
        : HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) ? AuditActions.Change
        : null;

    // The query says which rows an export took (from, to, labelled); AuditTrail cuts a long one.
    private static string Query(HttpContext context) =>
        context.Request.QueryString.HasValue ? context.Request.QueryString.Value! : "";
}
