using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Overlap.Server.Auth;

/// <summary>
/// Passwords of dashboard users: only a salted slow hash is stored, in ASP.NET Core Identity's versioned format
/// (PBKDF2-HMAC-SHA512, 16-byte salt, the iteration count written in the hash so it can be raised later), compared
/// in constant time.
/// </summary>
public static class Passwords
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinLength = 12;

    /// <summary>The longest: hashing is slow by design, so a megabyte "password" would be a way to tie up the server.</summary>
    public const int MaxLength = 256;

    /// <summary>PBKDF2-HMAC-SHA512 iterations: OWASP's figure for SHA-512 (its 600,000 is for SHA-256, whose rounds are cheaper).</summary>
    public const int Iterations = 210_000;

    private static readonly PasswordHasher<string> Hasher = new(
        Options.Create(new PasswordHasherOptions { IterationCount = Iterations })
    );

    /// <summary>The letters of a generated password: no look-alikes (0/O, 1/l/I), nothing a shell would mangle.</summary>
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>The stored form of a password: version, PRF, iterations, salt and subkey, base64.</summary>
    public static string Hash(string password) => Hasher.HashPassword(string.Empty, password);

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="hash"/> was made from.</summary>
    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(string.Empty, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>A new random password of 22 characters (about 128 bits), for a user to be told once.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 22);

    /// <summary>A new random stamp: it changes with the password, so sessions signed in with the old one end.</summary>
    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>What is wrong with a password chosen by a person, or null when it will do.</summary>
    public static string? Weakness(string password, string userName)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            return "the password is empty";
        }
        if (password.Length < MinLength)
        {
            return $"the password has {password.Length} characters; use at least {MinLength} (three or four unrelated words make a good one)";
        }
        if (password.Length > MaxLength)
        {
            return $"the password has {password.Length} characters; use at most {MaxLength}";
        }
        if (password.Distinct().Count() < 5)
        {
            return "the password repeats too few characters to be hard to guess; mix more different ones";
        }
        if (password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return "the password contains the user's name; choose one that does not";
        }
        return null;
    }
}
