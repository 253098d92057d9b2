using System.Security.Cryptography;
using System.Text;

namespace Overlap.Core.Privacy;

/// <summary>
/// The server's secret for hashed fields: HMAC-SHA256 of a value under it, so the same value always gives the same hash
/// (events of one person link, erasure finds them) while nobody without the key can test a guess against a hash.
/// </summary>
public sealed class PrivacyKey
{
    /// <summary>What every hash begins with, so a reader (and erasure) knows the value was hashed.</summary>
    public const string Prefix = "hmac:";

    /// <summary>The shortest key accepted, in bytes.</summary>
    public const int MinBytes = 16;

    private readonly byte[] _key;

    /// <summary>A key of at least <see cref="MinBytes"/> bytes.</summary>
    public PrivacyKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinBytes)
        {
            throw new ArgumentException($"A privacy key has at least {MinBytes} bytes.", nameof(key));
        }
        _key = [.. key];
    }

    /// <summary>A new random key of 32 bytes.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// The hash of <paramref name="value"/>: <see cref="Prefix"/> and the first 16 bytes (128 bits) of its HMAC-SHA256
    /// over UTF-8, in lower-case hex; 128 bits link values without a collision in any store's lifetime.
    /// </summary>
    public string Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value), mac);
        return Prefix + Convert.ToHexStringLower(mac[..16]);
    }
}
