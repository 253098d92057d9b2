using System.Data.Common;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    private const string UserColumns =
        "SELECT name, role, password_hash, stamp, created_at_us, password_changed_at_us FROM users ";

    private static UserRecord ReadUser(DbDataReader r) =>
        new(
            r.GetString(0),
            Enum.Parse<KeyRole>(r.GetString(1), ignoreCase: true),
            r.GetString(2),
            r.GetString(3),
            UnixMicroseconds.ToTime(r.GetInt64(4)),
            UnixMicroseconds.ToTime(r.GetInt64(5))
        );

    /// <inheritdoc />
    public async Task<bool> AddUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var added = await WriteAsync(
                "INSERT INTO users VALUES (lower($name), $name, $role, $hash, $stamp, $created, $changed) ON CONFLICT DO NOTHING",
                cancellationToken,
                ("name", user.Name),
                ("role", user.Role.ToString().ToLowerInvariant()),
                ("hash", user.PasswordHash),
                ("stamp", user.Stamp),
                ("created", UnixMicroseconds.From(user.CreatedAt)),
                ("changed", UnixMicroseconds.From(user.PasswordChangedAt))
            )
            .ConfigureAwait(false);
        return added == 1;
    }

    /// <inheritdoc />
    public async Task<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken = default) =>
        (
            await QueryAsync(UserColumns + "WHERE name_key = lower($name)", ReadUser, cancellationToken, ("name", name))
                .ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(UserColumns + "ORDER BY name_key", ReadUser, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken = default)
    {
        var removed =
            await WriteAsync("DELETE FROM users WHERE name_key = lower($name)", cancellationToken, ("name", name))
                .ConfigureAwait(false) == 1;
        // A removed user's sign-ins go with them.
        await WriteAsync(
                "DELETE FROM sessions WHERE subject = $subject",
                cancellationToken,
                ("subject", SessionRecord.UserSubject(name))
            )
            .ConfigureAwait(false);
        return removed;
    }

    /// <inheritdoc />
    public async Task<bool> SetPasswordAsync(
        string name,
        string passwordHash,
        string stamp,
        DateTimeOffset changedAt,
        CancellationToken cancellationToken = default
    )
    {
        var changed =
            await WriteAsync(
                    "UPDATE users SET password_hash = $hash, stamp = $stamp, password_changed_at_us = $changed WHERE name_key = lower($name)",
                    cancellationToken,
                    ("name", name),
                    ("hash", passwordHash),
                    ("stamp", stamp),
                    ("changed", UnixMicroseconds.From(changedAt))
                )
                .ConfigureAwait(false) == 1;
        await RevokeSessionsOfAsync(SessionRecord.UserSubject(name), changedAt, cancellationToken)
            .ConfigureAwait(false);
        return changed;
    }
}
