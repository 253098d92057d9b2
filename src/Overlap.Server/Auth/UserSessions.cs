using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Ends a cookie session that may no longer be: one in the ingest role (ingest keys cannot open the dashboard), one
/// signed in with a key that has since expired, and one of a user who was removed or whose password was set again
/// since they signed in (the cookie's stamp is checked against the store, read at most every <see cref="CacheFor"/>
/// per user). Revoked keys and sessions are refused before this, by <see cref="SessionTicketStore"/>.
/// </summary>
internal sealed class UserSessions(IUserStore store, ServerOptions options)
{
    /// <summary>How long a user looked up is trusted before the store is asked again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (UserRecord? User, DateTimeOffset Until)> _cache = new(
        StringComparer.OrdinalIgnoreCase
    );

    /// <summary>The cookie scheme's <c>OnValidatePrincipal</c>.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        if (principal is null)
        {
            return;
        }
        if (principal.IsInRole(nameof(KeyRole.Ingest)) || KeyExpired(principal))
        {
            await RejectAsync(context).ConfigureAwait(false);
            return;
        }
        if (principal.FindFirstValue(Users.StampClaim) is not { } stamp)
        {
            return;
        }
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? "";
        var user = await FindAsync(name, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null || user.Stamp != stamp || !principal.IsInRole(user.Role.ToString()))
        {
            await RejectAsync(context).ConfigureAwait(false);
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
    }

    private bool KeyExpired(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ApiKeys.ExpiresClaim) is { } seconds
        && long.TryParse(seconds, System.Globalization.CultureInfo.InvariantCulture, out var unix)
        && DateTimeOffset.FromUnixTimeSeconds(unix) <= options.Time.GetUtcNow();

    /// <summary>Forgets what was read of a user, so a change made on this server counts at their next request.</summary>
    public void Forget(string name) => _cache.TryRemove(name, out _);

    private async Task<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        if (_cache.TryGetValue(name, out var cached) && cached.Until > now)
        {
            return cached.User;
        }
        var user = await store.FindUserAsync(name, cancellationToken).ConfigureAwait(false);
        // On a shared store a change made through another instance counts here within SharedStateFreshFor.
        _cache[name] = (user, now + (options.SharedStore ? options.SharedStateFreshFor : CacheFor));
        return user;
    }
}
