using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// An admin's changes to keys and users while the server runs, shared by the admin API and the dashboard's Access
/// page: each is checked, applied to the store, and takes effect at once (what <see cref="KeyCache"/> and
/// <see cref="UserSessions"/> remember is forgotten; the store ends the sessions of a removed user, a new password or
/// a revoked key).
/// </summary>
internal sealed class AccessAdmin(IUserStore users, KeyCache cache, UserSessions sessions, ServerOptions options)
{
    /// <summary>A key as the API and the Access page show it.</summary>
    public static AdminKey ToAdmin(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(
            key.Id,
            key.Name,
            key.Role.ToString().ToLowerInvariant(),
            key.CreatedAt,
            key.ExpiresAt,
            key.LastUsedAt,
            key.RevokedAt
        );
    }

    /// <summary>A user as the API and the Access page show them.</summary>
    public static AdminUser ToAdmin(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Name, user.Role.ToString().ToLowerInvariant(), user.CreatedAt, user.PasswordChangedAt);
    }

    public async Task<AdminKey[]> ListKeysAsync(CancellationToken cancellationToken) =>
        [.. (await users.ListKeysAsync(cancellationToken).ConfigureAwait(false)).Select(ToAdmin)];

    public async Task<AdminUser[]> ListUsersAsync(CancellationToken cancellationToken) =>
        [.. (await users.ListUsersAsync(cancellationToken).ConfigureAwait(false)).Select(ToAdmin)];

    /// <summary>Creates a key of a role given as text, expiring as <c>90d</c> or a date (or never); the key is in the answer only.</summary>
    public async Task<(NewAdminKey? Created, AccessProblem? Problem)> CreateKeyAsync(
        string? role,
        string? name,
        string? expires,
        CancellationToken cancellationToken
    )
    {
        if (Role(role) is not { } keyRole)
        {
            return (null, Bad("The role is not known", $"'role' is '{role}'; use ingest, viewer, reviewer or admin."));
        }
        var now = options.Time.GetUtcNow();
        var (expiresAt, problem) = ApiKeys.ParseExpiry(expires, now);
        if (problem is not null)
        {
            return (null, Bad("The expiry is not valid", $"'expires': {problem}."));
        }
        var keyName = string.IsNullOrWhiteSpace(name) ? $"{keyRole.ToString().ToLowerInvariant()} key" : name.Trim();
        var (key, record) = await ApiKeys
            .CreateAsync(users, keyRole, keyName, now, expiresAt, cancellationToken)
            .ConfigureAwait(false);
        return (new NewAdminKey(key, ToAdmin(record)), null);
    }

    /// <summary>Revokes a key; null when done, else why not.</summary>
    public async Task<AccessProblem?> RevokeKeyAsync(string id, CancellationToken cancellationToken)
    {
        var revoked = await users.RevokeKeyAsync(id, options.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        cache.Forget(id);
        return revoked
            ? null
            : new AccessProblem(
                404,
                "No such key",
                $"There is no key '{id}' that is not revoked already; GET /v1/admin/keys lists them."
            );
    }

    /// <summary>Adds a user with the password given, or a generated one (then in the answer, once).</summary>
    public async Task<(AdminPassword? Added, AccessProblem? Problem)> AddUserAsync(
        string? name,
        string? role,
        string? password,
        CancellationToken cancellationToken
    )
    {
        name = name?.Trim() ?? "";
        if (Users.NameProblem(name) is { } nameProblem)
        {
            return (null, Bad("The user name is not valid", nameProblem + "."));
        }
        if (Role(role) is not { } userRole || !Users.Roles.Contains(userRole))
        {
            return (
                null,
                Bad(
                    "The role is not known",
                    $"'role' is '{role}'; a person is a viewer, reviewer or admin (ingest is for programs, which use keys)."
                )
            );
        }
        var (chosen, generated, weakness) = Password(password, name);
        if (weakness is not null)
        {
            return (null, Weak(weakness));
        }
        var now = options.Time.GetUtcNow();
        var user = new UserRecord(name, userRole, Passwords.Hash(chosen), Passwords.NewStamp(), now, now);
        return await users.AddUserAsync(user, cancellationToken).ConfigureAwait(false)
            ? (new AdminPassword(ToAdmin(user), generated ? chosen : null), null)
            : (
                null,
                new AccessProblem(
                    409,
                    "The name is taken",
                    $"There is already a user '{name}'; choose another name, or give them a new password."
                )
            );
    }

    /// <summary>Removes a user; null when done, else why not.</summary>
    public async Task<AccessProblem?> RemoveUserAsync(string name, CancellationToken cancellationToken)
    {
        var removed = await users.RemoveUserAsync(name, cancellationToken).ConfigureAwait(false);
        sessions.Forget(name);
        return removed ? null : NoUser(name);
    }

    /// <summary>Gives a user the password given, or a generated one (then in the answer, once).</summary>
    public async Task<(AdminPassword? Changed, AccessProblem? Problem)> SetPasswordAsync(
        string name,
        string? password,
        CancellationToken cancellationToken
    )
    {
        if (await users.FindUserAsync(name, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return (null, NoUser(name));
        }
        var (chosen, generated, weakness) = Password(password, user.Name);
        if (weakness is not null)
        {
            return (null, Weak(weakness));
        }
        var now = options.Time.GetUtcNow();
        await users
            .SetPasswordAsync(user.Name, Passwords.Hash(chosen), Passwords.NewStamp(), now, cancellationToken)
            .ConfigureAwait(false);
        sessions.Forget(user.Name);
        return (new AdminPassword(ToAdmin(user with { PasswordChangedAt = now }), generated ? chosen : null), null);
    }

    /// <summary>A role written as its name ("viewer"), never as a number.</summary>
    private static KeyRole? Role(string? text) =>
        text is not null
        && !text.Any(char.IsDigit)
        && Enum.TryParse<KeyRole>(text, ignoreCase: true, out var role)
        && Enum.IsDefined(role)
            ? role
            : null;

    /// <summary>The password given (with what makes it weak, if anything) or a generated one.</summary>
    private static (string Password, bool Generated, string? Weakness) Password(string? given, string userName) =>
        given is null ? (Passwords.Generate(), true, null) : (given, false, Passwords.Weakness(given, userName));

    private static AccessProblem Weak(string weakness) =>
        Bad("The password is too weak", weakness + "; leave the password out to have one generated.");

    private static AccessProblem NoUser(string name) =>
        new(404, "No such user", $"There is no user '{name}'; GET /v1/admin/users lists them.");

    private static AccessProblem Bad(string title, string detail) => new(400, title, detail);
}
