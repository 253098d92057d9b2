using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Checks a name and password against the users table, behind <see cref="AuthThrottle"/> (per address) and
/// <see cref="PasswordBackoff"/> (per name). An unknown name costs the same hashing as a known one, so the answer's
/// timing does not tell which names exist.
/// </summary>
internal sealed class PasswordSignIn(
    IUserStore store,
    AuthThrottle throttle,
    PasswordBackoff backoff,
    TrustedDevices devices
)
{
    private static readonly Lazy<string> Decoy = new(() => Passwords.Hash(Passwords.Generate()));

    /// <summary>The user when the password is right; otherwise why not.</summary>
    public async Task<PasswordCheck> CheckAsync(
        HttpContext context,
        string? name,
        string? password,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (throttle.Refused(address) is { } blocked)
        {
            return new PasswordCheck(null, blocked, ByAddress: true);
        }
        name = name?.Trim() ?? "";
        password ??= "";
        // A name no user can have is not looked up: it could only be a way round the per-name backoff (the store
        // ignores case more widely than the backoff does for letters outside ASCII).
        if (Users.NameProblem(name) is not null || password.Length == 0 || password.Length > Passwords.MaxLength)
        {
            throttle.Failed(address);
            return new PasswordCheck(null, null, ByAddress: false);
        }
        var trusted = devices.IsTrusted(context, name);
        if (!trusted && backoff.Refused(name) is { } wait)
        {
            return new PasswordCheck(null, wait, ByAddress: false);
        }
        var user = await store.FindUserAsync(name, cancellationToken).ConfigureAwait(false);
        if (!Passwords.Verify(user?.PasswordHash ?? Decoy.Value, password) || user is null)
        {
            throttle.Failed(address);
            if (!trusted)
            {
                backoff.Failed(name);
            }
            return new PasswordCheck(null, null, ByAddress: false);
        }
        if (!trusted)
        {
            // A sign-in from the trusted browser leaves the guesses against the name counted: the guesser gets no fresh start.
            backoff.Succeeded(name);
        }
        devices.Trust(context, user.Name);
        return new PasswordCheck(user, null, ByAddress: false);
    }
}

/// <summary>What a password check found: the user, or nobody, and how long the client is refused for and why (its address, or the name).</summary>
internal sealed record PasswordCheck(UserRecord? User, TimeSpan? RefusedFor, bool ByAddress);
