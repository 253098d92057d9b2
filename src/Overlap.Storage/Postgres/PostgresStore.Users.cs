using System.Data.Common;
using Npgsql;

namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string UserColumns =
        "SELECT name, role, password_hash, stamp, created_at, password_changed_at FROM users ";

    private const string KeyColumns =
        "SELECT id, hash, role, name, created_at, expires_at, last_used_at, revoked_at FROM api_keys ";

    private const string SessionColumns =
        "SELECT id_hash, subject, created_at, expires_at, revoked_at, ticket FROM sessions ";

    /// <summary>A user's name as it is unique and looked up: in lower case, as <see cref="SessionRecord.UserSubject"/> writes it.</summary>
    private static string NameKey(string name) => name.ToLowerInvariant();

    private static string RoleName(KeyRole role) => role.ToString().ToLowerInvariant();

    private static KeyRole ReadRole(DbDataReader r, int column) =>
        Enum.Parse<KeyRole>(r.GetString(column), ignoreCase: true);

    private static UserRecord ReadUser(DbDataReader r) =>
        new(r.GetString(0), ReadRole(r, 1), r.GetString(2), r.GetString(3), Time(r, 4), Time(r, 5));

    private static ApiKeyRecord ReadKey(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            ReadRole(r, 2),
            r.GetString(3),
            Time(r, 4),
            OptionalTime(r, 5),
            OptionalTime(r, 6),
            OptionalTime(r, 7)
        );

    private static SessionRecord ReadSession(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), Time(r, 2), Time(r, 3), OptionalTime(r, 4), r.GetFieldValue<byte[]>(5));

    /// <inheritdoc />
    public async Task<bool> AddUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await WriteAsync(
                    "INSERT INTO users VALUES (@key, @name, @role, @hash, @stamp, @created, @changed) ON CONFLICT DO NOTHING",
                    cancellationToken,
                    ("key", NameKey(user.Name)),
                    ("name", user.Name),
                    ("role", RoleName(user.Role)),
                    ("hash", user.PasswordHash),
                    ("stamp", user.Stamp),
                    ("created", user.CreatedAt),
                    ("changed", user.PasswordChangedAt)
                )
                .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return (
            await QueryAsync(UserColumns + "WHERE name_key = @key", ReadUser, cancellationToken, ("key", NameKey(name)))
                .ConfigureAwait(false)
        ).SingleOrDefault();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(UserColumns + "ORDER BY name_key COLLATE \"C\"", ReadUser, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return InTransactionAsync(
            async connection =>
            {
                var removed =
                    await WriteAsync(
                            connection,
                            "DELETE FROM users WHERE name_key = @key",
                            cancellationToken,
                            ("key", NameKey(name))
                        )
                        .ConfigureAwait(false) == 1;
                // A removed user's sign-ins go with them.
                await WriteAsync(
                        connection,
                        "DELETE FROM sessions WHERE subject = @subject",
                        cancellationToken,
                        ("subject", SessionRecord.UserSubject(name))
                    )
                    .ConfigureAwait(false);
                return removed;
            },
            cancellationToken
        );
    }

    /// <inheritdoc />
    public Task<bool> SetPasswordAsync(
        string name,
        string passwordHash,
        string stamp,
        DateTimeOffset changedAt,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(name);
        return InTransactionAsync(
            async connection =>
            {
                var changed =
                    await WriteAsync(
                            connection,
                            "UPDATE users SET password_hash = @hash, stamp = @stamp, password_changed_at = @changed "
                                + "WHERE name_key = @key",
                            cancellationToken,
                            ("key", NameKey(name)),
                            ("hash", passwordHash),
                            ("stamp", stamp),
                            ("changed", changedAt)
                        )
                        .ConfigureAwait(false) == 1;
                await RevokeSessionsOfAsync(connection, SessionRecord.UserSubject(name), changedAt, cancellationToken)
                    .ConfigureAwait(false);
                return changed;
            },
            cancellationToken
        );
    }

    /// <inheritdoc />
    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            "INSERT INTO api_keys (id, hash, role, name, created_at, expires_at) "
                + "VALUES (@id, @hash, @role, @name, @at, @expires)",
            cancellationToken,
            ("id", key.Id),
            ("hash", key.Hash),
            ("role", RoleName(key.Role)),
            ("name", key.Name),
            ("at", key.CreatedAt),
            ("expires", key.ExpiresAt)
        );
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindKeyAsync(string hash, CancellationToken cancellationToken = default) =>
        (
            await QueryAsync(KeyColumns + "WHERE hash = @hash", ReadKey, cancellationToken, ("hash", hash))
                .ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(KeyColumns + "ORDER BY created_at, id COLLATE \"C\"", ReadKey, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeKeyAsync(
        string id,
        DateTimeOffset revokedAt,
        CancellationToken cancellationToken = default
    ) =>
        InTransactionAsync(
            async connection =>
            {
                var revoked =
                    await WriteAsync(
                            connection,
                            "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
                            cancellationToken,
                            ("id", id),
                            ("at", revokedAt)
                        )
                        .ConfigureAwait(false) == 1;
                await RevokeSessionsOfAsync(connection, SessionRecord.KeySubject(id), revokedAt, cancellationToken)
                    .ConfigureAwait(false);
                return revoked;
            },
            cancellationToken
        );

    /// <inheritdoc />
    public Task TouchKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken = default) =>
        WriteAsync(
            "UPDATE api_keys SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at)",
            cancellationToken,
            ("id", id),
            ("at", usedAt)
        );

    /// <inheritdoc />
    public Task AddSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return WriteAsync(
            "INSERT INTO sessions VALUES (@id, @subject, @created, @expires, NULL, @ticket)",
            cancellationToken,
            ("id", session.IdHash),
            ("subject", session.Subject),
            ("created", session.CreatedAt),
            ("expires", session.ExpiresAt),
            ("ticket", session.Ticket)
        );
    }

    /// <inheritdoc />
    public async Task<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken = default) =>
        (
            await QueryAsync(SessionColumns + "WHERE id_hash = @id", ReadSession, cancellationToken, ("id", idHash))
                .ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    public Task RenewSessionAsync(
        string idHash,
        DateTimeOffset expiresAt,
        byte[] ticket,
        CancellationToken cancellationToken = default
    ) =>
        WriteAsync(
            "UPDATE sessions SET expires_at = @expires, ticket = @ticket WHERE id_hash = @id AND revoked_at IS NULL",
            cancellationToken,
            ("id", idHash),
            ("expires", expiresAt),
            ("ticket", ticket)
        );

    /// <inheritdoc />
    public Task RevokeSessionAsync(
        string idHash,
        DateTimeOffset revokedAt,
        CancellationToken cancellationToken = default
    ) =>
        InTransactionAsync(
            async connection =>
            {
                await WriteAsync(
                        connection,
                        "UPDATE sessions SET revoked_at = @at WHERE id_hash = @id AND revoked_at IS NULL",
                        cancellationToken,
                        ("id", idHash),
                        ("at", revokedAt)
                    )
                    .ConfigureAwait(false);
                // Sessions over for a day are of no use to anyone: the table holds only live sign-ins and the latest ended ones.
                return await WriteAsync(
                        connection,
                        "DELETE FROM sessions WHERE least(expires_at, coalesce(revoked_at, expires_at)) < @cut",
                        cancellationToken,
                        ("cut", revokedAt.AddDays(-1))
                    )
                    .ConfigureAwait(false);
            },
            cancellationToken
        );

    private static Task<int> RevokeSessionsOfAsync(
        NpgsqlConnection connection,
        string subject,
        DateTimeOffset revokedAt,
        CancellationToken cancellationToken
    ) =>
        WriteAsync(
            connection,
            "UPDATE sessions SET revoked_at = @at WHERE subject = @subject AND revoked_at IS NULL",
            cancellationToken,
            ("subject", subject),
            ("at", revokedAt)
        );
}
