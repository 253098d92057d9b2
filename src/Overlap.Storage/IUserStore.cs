namespace Overlap.Storage;

/// <summary>The dashboard's users. Names are unique regardless of case; lookups ignore case too.</summary>
public interface IUserStore
{
    /// <summary>Stores a new user; false (and nothing stored) when the name is taken.</summary>
    Task<bool> AddUserAsync(UserRecord user, CancellationToken cancellationToken = default);

    /// <summary>The user with this name (any case), or null.</summary>
    Task<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every user, by name.</summary>
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a user; false when there is none by that name.</summary>
    Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces a user's password hash and stamp; false when there is none by that name.</summary>
    Task<bool> SetPasswordAsync(string name, string passwordHash, string stamp, DateTimeOffset changedAt, CancellationToken cancellationToken = default);
}
