using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Ends the cookie session of a user who was removed, or whose password was set again since they signed in: on each
/// request the cookie's stamp is checked against the store, read at most every <see cref="CacheFor"/> per user.
/// Sessions signed in with a key carry no stamp and are not checked (keys are not revoked).
/// </summary>
internal sealed class UserSessions(IUserStore store, ServerOptions options)
{
    /// <summary>How long a user looked up is trusted before the store is asked again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (UserRecord? User, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The cookie scheme's <c>OnValidatePrincipal</c>.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        if (principal?.FindFirstValue(Users.StampClaim) is not { } stamp)
        {
            return;
        }
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? "";
        var user = await FindAsync(name, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null || user.Stamp != stamp || !principal.IsInRole(user.Role.ToString()))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        }
    }

    private async Task<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        if (_cache.TryGetValue(name, out var cached) && cached.Until > now)
        {
            return cached.User;
        }
        var user = await store.FindUserAsync(name, cancellationToken).ConfigureAwait(false);
        _cache[name] = (user, now + CacheFor);
        return user;
    }
}
