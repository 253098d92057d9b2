using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overlap.Server.Api;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Authenticates a request by its API key (<c>Authorization: Bearer ovl_…</c> or <c>X-Api-Key: ovl_…</c>): the key
/// is hashed and looked up; the key's role becomes the user's role claim. Known keys are remembered in memory; a
/// revoked or expired key is refused with the reason, and every failure counts against the client's address
/// (<see cref="AuthThrottle"/>), which is answered 429 once it has failed too often.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IUserStore store,
    KeyCache cache,
    AuthThrottle throttle,
    KeyUsage usage,
    ServerOptions server
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    // Why this request's key failed, for the challenge: a reason, or how long the address is refused for.
    private string? _refusal;
    private TimeSpan? _throttled;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers["X-Api-Key"].FirstOrDefault();
        var authorization = Request.Headers.Authorization.FirstOrDefault();
        if (
            key is null
            && authorization is not null
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        )
        {
            key = authorization["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }
        var address = Context.Connection.RemoteIpAddress;
        if (throttle.Refused(address) is { } wait)
        {
            _throttled = wait;
            return AuthenticateResult.Fail("too many failed authentications from this address");
        }
        var hash = ApiKeys.Hash(key);
        if (cache.Find(hash) is not { } record)
        {
            try
            {
                record = await store.FindKeyAsync(hash, Context.RequestAborted).ConfigureAwait(false);
            }
            catch (StoreUnavailableException) when (cache.Find(hash, evenStale: true) is { } kept)
            {
                // The shared store is down: a key read before keeps working (ingest goes on into the log).
                record = kept;
            }
            if (record is null)
            {
                throttle.Failed(address);
                return AuthenticateResult.Fail("unknown API key");
            }
            cache.Keep(hash, record);
        }
        if (ApiKeys.Refusal(record, server.Time.GetUtcNow()) is { } refusal)
        {
            throttle.Failed(address);
            _refusal = refusal;
            return AuthenticateResult.Fail(refusal);
        }
        usage.Used(record.Id);
        return AuthenticateResult.Success(new AuthenticationTicket(ApiKeys.Principal(record, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_throttled is { } wait)
        {
            Response.Headers.RetryAfter = AuthThrottle.RetryAfter(wait);
            return Problems.Write(
                Context,
                StatusCodes.Status429TooManyRequests,
                "Too many failed authentications from this address",
                $"Try again in {AuthThrottle.Wait(wait)}, with a key that is valid (see 'overlap keys list' or GET /v1/admin/keys)."
            );
        }
        return _refusal is { } refusal
            ? Problems.Write(
                Context,
                StatusCodes.Status401Unauthorized,
                "This API key no longer works",
                $"{Capitalised(refusal)}; ask an admin for a new one (overlap keys create, POST /v1/admin/keys or the dashboard's Access page)."
            )
            : Problems.Write(
                Context,
                StatusCodes.Status401Unauthorized,
                "An API key is needed",
                "Send it as 'Authorization: Bearer ovl_…' or 'X-Api-Key: ovl_…'; an admin creates one with 'overlap keys create --data DIR --role ROLE', POST /v1/admin/keys or the dashboard's Access page."
            );
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(
            Context,
            StatusCodes.Status403Forbidden,
            "This key's role may not do that",
            $"The key has the role '{Context.User.FindFirstValue(ClaimTypes.Role)?.ToLowerInvariant()}'; use a key with a role allowed here (see docs/api.md)."
        );

    private static string Capitalised(string text) => string.Concat(text[..1].ToUpperInvariant(), text[1..]);
}

/// <summary>
/// Keys already looked up, by hash; a key revoked on this server is forgotten at once. On a shared store
/// (<see cref="ServerOptions.SharedStore"/>) a key is read again once it was kept <see cref="ServerOptions.SharedStateFreshFor"/>,
/// so one revoked through another instance (or <c>overlap keys revoke</c>) stops working here within that time.
/// </summary>
internal sealed class KeyCache(ServerOptions options)
{
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Record, DateTimeOffset Until)> _keys = new(
        StringComparer.Ordinal
    );

    /// <summary>
    /// The key with this hash as kept; null when it is not kept, or (unless <paramref name="evenStale"/>, for when the
    /// store cannot be read) no longer trusted without asking the store.
    /// </summary>
    public ApiKeyRecord? Find(string hash, bool evenStale = false) =>
        _keys.TryGetValue(hash, out var kept)
        && (evenStale || !options.SharedStore || kept.Until > options.Time.GetUtcNow())
            ? kept.Record
            : null;

    /// <summary>Keeps a key just read from the store.</summary>
    public void Keep(string hash, ApiKeyRecord record) =>
        _keys[hash] = (record, options.Time.GetUtcNow() + options.SharedStateFreshFor);

    /// <summary>Drops the key with this id, so its next use reads the store again.</summary>
    public void Forget(string id)
    {
        foreach (var (hash, kept) in _keys)
        {
            if (kept.Record.Id == id)
            {
                _keys.TryRemove(hash, out _);
            }
        }
    }
}
