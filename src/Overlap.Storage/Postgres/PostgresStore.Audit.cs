namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore : IAuditStore
{
    /// <inheritdoc />
    public async Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var id = await ScalarAsync(
                "INSERT INTO audit_log (at, actor, role, action, target, feature, status, detail) "
                    + "VALUES (@at, @actor, @role, @action, @target, @feature, @status, @detail) RETURNING id",
                cancellationToken,
                ("at", entry.At),
                ("actor", entry.Actor),
                ("role", entry.Role),
                ("action", entry.Action),
                ("target", entry.Target),
                ("feature", entry.Feature),
                ("status", entry.Status),
                ("detail", entry.Detail)
            )
            .ConfigureAwait(false);
        return DuckDb.AuditQueries.Stored((long)id!, entry);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(
        AuditQuery query,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(query);
        var (sql, args) = DuckDb.AuditQueries.Select(query, '@', "at", t => t);
        return QueryAsync(sql, r => DuckDb.AuditQueries.Read(r, Time(r, 1)), cancellationToken, args!);
    }
}
