using System.Data.Common;
using System.Text;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore : IAuditStore
{
    /// <inheritdoc />
    public async Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var id = await InsertReturningAsync(
                "INSERT INTO audit_log (at_us, actor, role, action, target, feature, status, detail) "
                    + "VALUES ($at, $actor, $role, $action, $target, $feature, $status, $detail) RETURNING id",
                cancellationToken,
                ("at", UnixMicroseconds.From(entry.At)),
                ("actor", entry.Actor),
                ("role", entry.Role),
                ("action", entry.Action),
                ("target", entry.Target),
                ("feature", (object?)entry.Feature ?? DBNull.Value),
                ("status", entry.Status),
                ("detail", (object?)entry.Detail ?? DBNull.Value)
            )
            .ConfigureAwait(false);
        return AuditQueries.Stored(id, entry);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(
        AuditQuery query,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(query);
        var (sql, args) = AuditQueries.Select(query, '$', "at_us", t => UnixMicroseconds.From(t));
        return QueryAsync(
            sql,
            r => AuditQueries.Read(r, UnixMicroseconds.ToTime(r.GetInt64(1))),
            cancellationToken,
            args
        );
    }
}

/// <summary>The audit log's SQL, the same on DuckDB and PostgreSQL but for the parameter mark and the time column.</summary>
internal static class AuditQueries
{
    /// <summary>The entry as the store keeps it: its id and its time to the microsecond.</summary>
    public static AuditEntry Stored(long id, NewAuditEntry entry) =>
        new(
            id,
            UnixMicroseconds.Stored(entry.At),
            entry.Actor,
            entry.Role,
            entry.Action,
            entry.Target,
            entry.Feature,
            entry.Status,
            entry.Detail
        );

    /// <summary>The query for <paramref name="query"/>, with its parameters (times as <paramref name="time"/> gives them).</summary>
    public static (string Sql, (string Name, object Value)[] Args) Select(
        AuditQuery query,
        char mark,
        string timeColumn,
        Func<DateTimeOffset, object> time
    )
    {
        var sql = new StringBuilder(
            $"SELECT id, {timeColumn}, actor, role, action, target, feature, status, detail FROM audit_log WHERE true"
        );
        var args = new List<(string Name, object Value)>();
        void Where(string condition, string name, object value)
        {
            sql.Append(" AND ").Append(condition.Replace("@", mark.ToString(), StringComparison.Ordinal));
            args.Add((name, value));
        }
        if (query.Before is { } before)
        {
            Where("id < @before", "before", before);
        }
        if (query.Feature is { } feature)
        {
            Where("feature = @feature", "feature", feature);
        }
        if (query.Actor is { } actor)
        {
            Where("lower(actor) = lower(@actor)", "actor", actor);
        }
        if (query.Action is { } action)
        {
            Where("action = @action", "action", action);
        }
        if (query.From is { } from)
        {
            Where($"{timeColumn} >= @from", "from", time(from));
        }
        if (query.To is { } to)
        {
            Where($"{timeColumn} < @to", "to", time(to));
        }
        sql.Append(" ORDER BY id DESC LIMIT ").Append(Math.Clamp(query.Limit, 1, 10_000));
        return (sql.ToString(), args.ToArray());
    }

    /// <summary>One row of <see cref="Select"/>'s query, its time read by the store.</summary>
    public static AuditEntry Read(DbDataReader r, DateTimeOffset at) =>
        new(
            r.GetInt64(0),
            at,
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.GetInt32(7),
            r.IsDBNull(8) ? null : r.GetString(8)
        );
}
