using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Authenticates a request by its API key (<c>Authorization: Bearer ovl_…</c> or <c>X-Api-Key: ovl_…</c>): the key
/// is hashed and looked up; the key's role becomes the user's role claim. Known keys are remembered in memory.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IEventStore store,
    KeyCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers["X-Api-Key"].FirstOrDefault();
        var authorization = Request.Headers.Authorization.FirstOrDefault();
        if (key is null && authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = ApiKeys.Hash(key);
        if (!cache.Keys.TryGetValue(hash, out var record))
        {
            record = await store.FindKeyAsync(hash, Context.RequestAborted).ConfigureAwait(false);
            if (record is null)
            {
                return AuthenticateResult.Fail("unknown API key");
            }
            cache.Keys[hash] = record;
        }
        return AuthenticateResult.Success(new AuthenticationTicket(ApiKeys.Principal(record, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, "An API key is needed", "Send it as 'Authorization: Bearer ovl_…' or 'X-Api-Key: ovl_…'; create one with 'overlap keys create --data DIR --role ROLE'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "This key's role may not do that", $"The key has the role '{Context.User.FindFirstValue(ClaimTypes.Role)?.ToLowerInvariant()}'; use a key with a role allowed here (see docs/api.md).");
}

/// <summary>Keys already looked up, by hash.</summary>
internal sealed class KeyCache
{
    public ConcurrentDictionary<string, ApiKeyRecord> Keys { get; } = new(StringComparer.Ordinal);
}
