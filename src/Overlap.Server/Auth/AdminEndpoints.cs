using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Api;

namespace Overlap.Server.Auth;

/// <summary>
/// Keys and users, managed while the server runs (the CLI's <c>overlap keys</c> and <c>overlap users</c> need it
/// stopped, since the store is one file a running server holds): admin only, through <see cref="AccessAdmin"/>.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>A key or user request is a few fields; anything larger is a mistake.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        group.MapGet("/keys", ListKeysAsync);
        group.MapPost("/keys", CreateKeyAsync);
        group.MapDelete("/keys/{id}", RevokeKeyAsync);
        group.MapGet("/users", ListUsersAsync);
        group.MapPost("/users", AddUserAsync);
        group.MapDelete("/users/{name}", RemoveUserAsync);
        group.MapPost("/users/{name}/password", SetPasswordAsync);
        return group;
    }

    private static async Task<Ok<AdminKey[]>> ListKeysAsync(AccessAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.ListKeysAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<NewAdminKey>, BadRequest<ProblemDetails>>> CreateKeyAsync(
        HttpRequest request,
        AccessAdmin admin,
        CancellationToken cancellationToken
    )
    {
        if (
            await ReadAsync(request, ServerJsonContext.Default.AdminKeyRequest, cancellationToken).ConfigureAwait(false)
            is not { } body
        )
        {
            return Problems.BadRequest(
                "The key request is not valid",
                """send a JSON object such as {"role": "ingest", "name": "checkout service", "expires": "90d"}"""
            );
        }
        var (created, problem) = await admin
            .CreateKeyAsync(body.Role, body.Name, body.Expires, cancellationToken)
            .ConfigureAwait(false);
        return created is not null
            ? TypedResults.Created($"/v1/admin/keys/{created.Details.Id}", created)
            : TypedResults.BadRequest(Details(problem!));
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> RevokeKeyAsync(
        string id,
        AccessAdmin admin,
        CancellationToken cancellationToken
    ) =>
        await admin.RevokeKeyAsync(id, cancellationToken).ConfigureAwait(false) is { } problem
            ? TypedResults.NotFound(Details(problem))
            : TypedResults.NoContent();

    private static async Task<Ok<AdminUser[]>> ListUsersAsync(AccessAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.ListUsersAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<
        Results<Created<AdminPassword>, BadRequest<ProblemDetails>, Conflict<ProblemDetails>>
    > AddUserAsync(HttpRequest request, AccessAdmin admin, CancellationToken cancellationToken)
    {
        if (
            await ReadAsync(request, ServerJsonContext.Default.AdminUserRequest, cancellationToken)
                .ConfigureAwait(false)
            is not { } body
        )
        {
            return Problems.BadRequest(
                "The user is not valid",
                """send a JSON object such as {"name": "ana@example.com", "role": "viewer"} (a password is generated unless you give one)"""
            );
        }
        var (added, problem) = await admin
            .AddUserAsync(body.Name, body.Role, body.Password, cancellationToken)
            .ConfigureAwait(false);
        return added is not null
                ? TypedResults.Created($"/v1/admin/users/{Uri.EscapeDataString(added.User.Name)}", added)
            : problem!.Status == 409 ? TypedResults.Conflict(Details(problem))
            : TypedResults.BadRequest(Details(problem));
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> RemoveUserAsync(
        string name,
        AccessAdmin admin,
        CancellationToken cancellationToken
    ) =>
        await admin.RemoveUserAsync(name, cancellationToken).ConfigureAwait(false) is { } problem
            ? TypedResults.NotFound(Details(problem))
            : TypedResults.NoContent();

    private static async Task<
        Results<Ok<AdminPassword>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>>
    > SetPasswordAsync(string name, HttpRequest request, AccessAdmin admin, CancellationToken cancellationToken)
    {
        if (
            await ReadAsync(
                    request,
                    ServerJsonContext.Default.AdminPasswordRequest,
                    cancellationToken,
                    whenEmpty: new AdminPasswordRequest(null)
                )
                .ConfigureAwait(false)
            is not { } body
        )
        {
            return Problems.BadRequest(
                "The password request is not valid",
                """send {"password": "…"}, or no body to have one generated"""
            );
        }
        var (changed, problem) = await admin
            .SetPasswordAsync(name, body.Password, cancellationToken)
            .ConfigureAwait(false);
        return changed is not null ? TypedResults.Ok(changed)
            : problem!.Status == 404 ? TypedResults.NotFound(Details(problem))
            : TypedResults.BadRequest(Details(problem));
    }

    private static ProblemDetails Details(AccessProblem problem) =>
        Problems.Details(problem.Status, problem.Title, problem.Detail);

    /// <summary>The body as <typeparamref name="T"/> (<paramref name="whenEmpty"/> when there is none), or null when it is too large, not JSON, or not that shape.</summary>
    private static async Task<T?> ReadAsync<T>(
        HttpRequest request,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken,
        T? whenEmpty = null
    )
        where T : class
    {
        try
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            return body is null ? null
                : body.Length == 0 ? whenEmpty
                : JsonSerializer.Deserialize(body, type);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return null;
        }
    }
}
