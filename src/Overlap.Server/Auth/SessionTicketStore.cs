using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Keeps dashboard sign-ins on the server (the cookie scheme's <c>SessionStore</c>): the cookie carries a random
/// session id, the store its SHA-256 with the ticket. Every request reads the session, so sign-out (which revokes it)
/// and removing the user or revoking the key take effect at once, and a copied cookie is worth nothing afterwards.
/// </summary>
internal sealed class SessionTicketStore(IUserStore store, ServerOptions options) : ITicketStore
{
    /// <summary>Who a signed-in principal is, as sessions are filed: the user, or the key it signed in with.</summary>
    public static string Subject(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirstValue(Users.StampClaim) is not null
            ? SessionRecord.UserSubject(principal.Identity?.Name ?? "")
            : SessionRecord.KeySubject(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "");
    }

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = options.Time.GetUtcNow();
        await store
            .AddSessionAsync(
                new SessionRecord(
                    ApiKeys.Hash(id),
                    Subject(ticket.Principal),
                    now,
                    Expires(ticket, now),
                    null,
                    TicketSerializer.Default.Serialize(ticket)
                )
            )
            .ConfigureAwait(false);
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return store.RenewSessionAsync(
            ApiKeys.Hash(key),
            Expires(ticket, options.Time.GetUtcNow()),
            TicketSerializer.Default.Serialize(ticket)
        );
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var session = await store.FindSessionAsync(ApiKeys.Hash(key)).ConfigureAwait(false);
        return session is null || session.RevokedAt is not null || session.ExpiresAt <= options.Time.GetUtcNow()
            ? null
            : TicketSerializer.Default.Deserialize(session.Ticket);
    }

    public Task RemoveAsync(string key) => store.RevokeSessionAsync(ApiKeys.Hash(key), options.Time.GetUtcNow());

    private static DateTimeOffset Expires(AuthenticationTicket ticket, DateTimeOffset now) =>
        ticket.Properties.ExpiresUtc ?? now + DashboardAuth.Idle;
}
