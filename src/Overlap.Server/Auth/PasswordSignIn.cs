using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Checks a name and password against the users table, behind <see cref="SignInThrottle"/>. An unknown name costs
/// the same hashing as a known one, so the answer's timing does not tell which names exist.
/// </summary>
internal sealed class PasswordSignIn(IUserStore store, ServerOptions options)
{
    private static readonly Lazy<string> Decoy = new(() => Passwords.Hash(Passwords.Generate()));

    public SignInThrottle Throttle { get; } = new(options.Time);

    /// <summary>The user when the password is right; otherwise why not.</summary>
    public async Task<PasswordCheck> CheckAsync(string? name, string? password, CancellationToken cancellationToken)
    {
        name = name?.Trim() ?? "";
        password ??= "";
        // A name no user can have is not looked up: it could only be a way round the throttle (the store ignores case
        // more widely than the throttle does for letters outside ASCII).
        if (Users.NameProblem(name) is not null || password.Length == 0 || password.Length > Passwords.MaxLength)
        {
            return new PasswordCheck(null, null);
        }
        if (Throttle.Refused(name) is { } wait)
        {
            return new PasswordCheck(null, wait);
        }
        var user = await store.FindUserAsync(name, cancellationToken).ConfigureAwait(false);
        if (!Passwords.Verify(user?.PasswordHash ?? Decoy.Value, password) || user is null)
        {
            Throttle.Failed(name);
            return new PasswordCheck(null, null);
        }
        Throttle.Succeeded(name);
        return new PasswordCheck(user, null);
    }
}

/// <summary>What a password check found: the user, or nobody, and how long the name is refused for if it is.</summary>
internal sealed record PasswordCheck(UserRecord? User, TimeSpan? RefusedFor);
