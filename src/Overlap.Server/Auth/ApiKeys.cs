using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>Makes API keys and their hashes. A key is 32 random bytes; only its SHA-256 is stored, so a stolen database gives no key.</summary>
public static class ApiKeys
{
    /// <summary>Every key starts with this, so a leaked one is easy to spot in logs and scanners.</summary>
    public const string Prefix = "ovl_";

    /// <summary>The claim holding a key's expiry (Unix seconds) in a dashboard session signed in with it.</summary>
    public const string ExpiresClaim = "overlap:key-expires";

    /// <summary>Creates a key, stores its hash and role, and returns the key itself (shown once, never stored).</summary>
    public static async Task<string> CreateAsync(
        IUserStore store,
        KeyRole role,
        string name,
        DateTimeOffset now,
        CancellationToken cancellationToken = default
    ) => (await CreateAsync(store, role, name, now, null, cancellationToken).ConfigureAwait(false)).Key;

    /// <summary>Creates a key that stops working at <paramref name="expiresAt"/> (null: never); the key and what is stored of it.</summary>
    public static async Task<(string Key, ApiKeyRecord Record)> CreateAsync(
        IUserStore store,
        KeyRole role,
        string name,
        DateTimeOffset now,
        DateTimeOffset? expiresAt,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiKeyRecord(
            Base64Url(RandomNumberGenerator.GetBytes(6)),
            Hash(key),
            role,
            name,
            now,
            expiresAt
        );
        await store.AddKeyAsync(record, cancellationToken).ConfigureAwait(false);
        return (key, record);
    }

    /// <summary>Why a stored key no longer authenticates at <paramref name="now"/> (revoked, expired), or null when it does.</summary>
    public static string? Refusal(ApiKeyRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.RevokedAt is { } revoked)
        {
            return $"this key was revoked on {Day(revoked)}";
        }
        return record.ExpiresAt is { } expires && expires <= now ? $"this key expired on {Day(expires)}" : null;
    }

    /// <summary>
    /// When a key given as <c>90d</c> (a duration: s, m, h, d, w) or <c>2027-01-31</c> (a day, UTC midnight, or a
    /// full ISO 8601 time) expires, or what is wrong with it.
    /// </summary>
    public static (DateTimeOffset? ExpiresAt, string? Problem) ParseExpiry(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }
        text = text.Trim();
        DateTimeOffset? at =
            Core.Contracts.Durations.Parse(text) is { } span ? now + span
            : DateTimeOffset.TryParse(
                text,
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal,
                out var time
            )
                ? time
            : null;
        return at switch
        {
            null => (null, $"'{text}' is neither a duration such as 90d nor a date such as 2027-01-31"),
            { } t when t <= now => (
                null,
                $"'{text}' is not in the future; give a later date or a duration such as 90d"
            ),
            { } t => (t, null),
        };
    }

    /// <summary>The user a key signs in as: its name, id and role (and expiry, if it has one), authenticated by <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal Principal(ApiKeyRecord record, string scheme)
    {
        ArgumentNullException.ThrowIfNull(record);
        List<Claim> claims =
        [
            new(ClaimTypes.Name, record.Name),
            new(ClaimTypes.NameIdentifier, record.Id),
            new(ClaimTypes.Role, record.Role.ToString()),
        ];
        if (record.ExpiresAt is { } expires)
        {
            claims.Add(
                new Claim(
                    ExpiresClaim,
                    expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
                )
            );
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>A time as the CLI and the API's messages write it: 2026-11-23 09:00 UTC.</summary>
    public static string Day(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SHA-256 of a key, as lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
