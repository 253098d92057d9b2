namespace Overlap.Storage;

/// <summary>
/// Users and keys: the dashboard's users, API keys (only their hashes), and sign-in sessions. User names are unique
/// regardless of case; lookups ignore case too.
/// </summary>
public interface IUserStore
{
    /// <summary>Stores a new user; false (and nothing stored) when the name is taken.</summary>
    Task<bool> AddUserAsync(UserRecord user, CancellationToken cancellationToken = default);

    /// <summary>The user with this name (any case), or null.</summary>
    Task<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every user, by name.</summary>
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a user and revokes their sessions; false when there is none by that name.</summary>
    Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces a user's password hash and stamp and revokes their sessions; false when there is none by that name.</summary>
    Task<bool> SetPasswordAsync(
        string name,
        string passwordHash,
        string stamp,
        DateTimeOffset changedAt,
        CancellationToken cancellationToken = default
    );

    /// <summary>Stores a key's hash and role.</summary>
    Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>The key with this hash, or null.</summary>
    Task<ApiKeyRecord?> FindKeyAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Every API key (revoked ones too), oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes a key and the sessions signed in with it; false when there is no such key or it was revoked already.</summary>
    Task<bool> RevokeKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    /// <summary>Records when a key was last used (never moves it back).</summary>
    Task TouchKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken = default);

    /// <summary>Stores a new session.</summary>
    Task AddSessionAsync(SessionRecord session, CancellationToken cancellationToken = default);

    /// <summary>The session with this id hash, revoked or expired too; null when there is none.</summary>
    Task<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken = default);

    /// <summary>Replaces a session's ticket and expiry (a sliding sign-in was renewed).</summary>
    Task RenewSessionAsync(
        string idHash,
        DateTimeOffset expiresAt,
        byte[] ticket,
        CancellationToken cancellationToken = default
    );

    /// <summary>Revokes one session (sign-out); sessions that ended more than a day ago are dropped at the same time.</summary>
    Task RevokeSessionAsync(string idHash, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);
}
