using System.Data.Common;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    private const string KeyColumns =
        "SELECT id, hash, role, name, created_at_us, expires_at_us, last_used_us, revoked_at_us FROM api_keys ";

    private const string SessionColumns =
        "SELECT id_hash, subject, created_at_us, expires_at_us, revoked_at_us, ticket FROM sessions ";

    private static ApiKeyRecord ReadKey(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            Enum.Parse<KeyRole>(r.GetString(2), ignoreCase: true),
            r.GetString(3),
            UnixMicroseconds.ToTime(r.GetInt64(4)),
            OptionalTime(r, 5),
            OptionalTime(r, 6),
            OptionalTime(r, 7)
        );

    private static SessionRecord ReadSession(DbDataReader r)
    {
        using var ticket = new MemoryStream();
        r.GetStream(5).CopyTo(ticket);
        return new(
            r.GetString(0),
            r.GetString(1),
            UnixMicroseconds.ToTime(r.GetInt64(2)),
            UnixMicroseconds.ToTime(r.GetInt64(3)),
            OptionalTime(r, 4),
            ticket.ToArray()
        );
    }

    private static DateTimeOffset? OptionalTime(DbDataReader r, int column) =>
        r.IsDBNull(column) ? null : UnixMicroseconds.ToTime(r.GetInt64(column));

    /// <summary>A time that may be absent, as a parameter: microseconds, or NULL.</summary>
    private static object OptionalMicroseconds(DateTimeOffset? time) =>
        time is { } t ? UnixMicroseconds.From(t) : DBNull.Value;

    /// <inheritdoc />
    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            "INSERT INTO api_keys (id, hash, role, name, created_at_us, expires_at_us) VALUES ($id, $hash, $role, $name, $at, $expires)",
            cancellationToken,
            ("id", key.Id),
            ("hash", key.Hash),
            ("role", key.Role.ToString().ToLowerInvariant()),
            ("name", key.Name),
            ("at", UnixMicroseconds.From(key.CreatedAt)),
            ("expires", key.ExpiresAt is { } expires ? UnixMicroseconds.From(expires) : DBNull.Value)
        );
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindKeyAsync(string hash, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(KeyColumns + "WHERE hash = $hash", ReadKey, cancellationToken, ("hash", hash))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(KeyColumns + "ORDER BY created_at_us, id", ReadKey, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> RevokeKeyAsync(
        string id,
        DateTimeOffset revokedAt,
        CancellationToken cancellationToken = default
    )
    {
        var revoked =
            await WriteAsync(
                    "UPDATE api_keys SET revoked_at_us = $at WHERE id = $id AND revoked_at_us IS NULL",
                    cancellationToken,
                    ("id", id),
                    ("at", UnixMicroseconds.From(revokedAt))
                )
                .ConfigureAwait(false) == 1;
        await RevokeSessionsOfAsync(SessionRecord.KeySubject(id), revokedAt, cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <inheritdoc />
    public Task TouchKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken = default) =>
        WriteAsync(
            "UPDATE api_keys SET last_used_us = $at WHERE id = $id AND coalesce(last_used_us, 0) < $at",
            cancellationToken,
            ("id", id),
            ("at", UnixMicroseconds.From(usedAt))
        );

    /// <inheritdoc />
    public Task AddSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return WriteAsync(
            "INSERT INTO sessions VALUES ($id, $subject, $created, $expires, NULL, $ticket)",
            cancellationToken,
            ("id", session.IdHash),
            ("subject", session.Subject),
            ("created", UnixMicroseconds.From(session.CreatedAt)),
            ("expires", UnixMicroseconds.From(session.ExpiresAt)),
            ("ticket", session.Ticket)
        );
    }

    /// <inheritdoc />
    public async Task<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken = default) =>
        (
            await QueryAsync(SessionColumns + "WHERE id_hash = $id", ReadSession, cancellationToken, ("id", idHash))
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
            "UPDATE sessions SET expires_at_us = $expires, ticket = $ticket WHERE id_hash = $id AND revoked_at_us IS NULL",
            cancellationToken,
            ("id", idHash),
            ("expires", UnixMicroseconds.From(expiresAt)),
            ("ticket", ticket)
        );

    /// <inheritdoc />
    public async Task RevokeSessionAsync(
        string idHash,
        DateTimeOffset revokedAt,
        CancellationToken cancellationToken = default
    )
    {
        await WriteAsync(
                "UPDATE sessions SET revoked_at_us = $at WHERE id_hash = $id AND revoked_at_us IS NULL",
                cancellationToken,
                ("id", idHash),
                ("at", UnixMicroseconds.From(revokedAt))
            )
            .ConfigureAwait(false);
        // Sessions over for a day are of no use to anyone: the table holds only live sign-ins and the latest ended ones.
        await WriteAsync(
                "DELETE FROM sessions WHERE least(expires_at_us, coalesce(revoked_at_us, expires_at_us)) < $cut",
                cancellationToken,
                ("cut", UnixMicroseconds.From(revokedAt.AddDays(-1)))
            )
            .ConfigureAwait(false);
    }

    private Task<int> RevokeSessionsOfAsync(
        string subject,
        DateTimeOffset revokedAt,
        CancellationToken cancellationToken
    ) =>
        WriteAsync(
            "UPDATE sessions SET revoked_at_us = $at WHERE subject = $subject AND revoked_at_us IS NULL",
            cancellationToken,
            ("subject", subject),
            ("at", UnixMicroseconds.From(revokedAt))
        );
}
