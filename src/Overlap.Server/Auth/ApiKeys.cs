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

    /// <summary>Creates a key, stores its hash and role, and returns the key itself (shown once, never stored).</summary>
    public static async Task<string> CreateAsync(IEventStore store, KeyRole role, string name, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = Base64Url(RandomNumberGenerator.GetBytes(6));
        await store.AddKeyAsync(new ApiKeyRecord(id, Hash(key), role, name, now), cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>The user a key signs in as: its name, id and role, authenticated by <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal Principal(ApiKeyRecord record, string scheme)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.NameIdentifier, record.Id), new Claim(ClaimTypes.Role, record.Role.ToString())],
            scheme));
    }

    /// <summary>The SHA-256 of a key, as lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
