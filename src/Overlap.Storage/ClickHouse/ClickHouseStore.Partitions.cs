using System.Globalization;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore
{
    /// <inheritdoc />
    public Task<int> MaintainAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        OptimizeClosedPartitionsAsync(now, cancellationToken);

    /// <summary>
    /// Merges the event tables' closed partitions: those of calendar months (UTC) that ended before
    /// <paramref name="now"/>'s month and still have more than one part on some server. Each is merged into one part
    /// per shard with <c>OPTIMIZE TABLE … PARTITION ID … FINAL</c> (<c>ON CLUSTER</c> on a cluster), which keeps one
    /// row per key, so a read of an ended month counts right without <c>FINAL</c>. Meant to be called periodically by
    /// any instance: it is idempotent, and when nothing changed it costs one read of the servers' part lists. An event
    /// that arrives late for an ended month adds a part, and the next call merges that partition again. Returns the
    /// number of partitions merged.
    /// </summary>
    public async Task<int> OptimizeClosedPartitionsAsync(
        DateTimeOffset now,
        CancellationToken cancellationToken = default
    )
    {
        var utc = now.ToUniversalTime();
        var current = (utc.Year * 100) + utc.Month;
        var locals = ClickHouseSql.List(ClickHouseSchema.EventTables.Select(t => ClickHouseSchema.Local(t, Cluster)));
        var parts = Cluster is null ? "system.parts" : $"cluster({ClickHouseSql.Literal(Cluster)}, system.parts)";
        // Parts are counted per server (its host and the table's folder there: servers on one machine share a host
        // name), so one part on each of two shards is not taken for two parts to merge.
        var open = await _http
            .QueryAsync(
                $"""
                SELECT table, partition_id FROM (
                  SELECT table, partition_id, hostName() AS host, replaceRegexpOne(path, '[^/]+/$', '') AS folder,
                    count() AS parts
                  FROM {parts}
                  WHERE database = {ClickHouseSql.Literal(_database)} AND active AND table IN ({locals})
                  GROUP BY table, partition_id, host, folder
                ) WHERE parts > 1 GROUP BY table, partition_id ORDER BY table, partition_id
                """,
                r => (Table: r.String(), Partition: r.String()),
                cancellationToken
            )
            .ConfigureAwait(false);
        var closed = open.Where(p =>
                int.TryParse(p.Partition, NumberStyles.None, CultureInfo.InvariantCulture, out var month)
                && month < current
            )
            .ToList();
        foreach (var (table, partition) in closed)
        {
            // FINAL merges the partition whole; DEDUPLICATE is never used (it crashes 18.16 on a plain MergeTree, and
            // ReplacingMergeTree's merge already keeps one row per key).
            await _http
                .ExecuteAsync(
                    $"OPTIMIZE TABLE {ClickHouseSchema.Name(_database, table)}{ClickHouseSchema.OnCluster(Cluster)} "
                        + $"PARTITION ID {ClickHouseSql.Literal(partition)} FINAL",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        return closed.Count;
    }
}
