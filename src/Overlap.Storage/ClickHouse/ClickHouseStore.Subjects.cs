using Overlap.Core.Timestamps;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore : ISubjectEvents, IRawRetention
{
    /// <summary>How long an erasure or a clearing waits for its mutations to finish before it reports the store unavailable.</summary>
    private static readonly TimeSpan MutationWait = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public async Task<SubjectEvents> FindSubjectAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        var needle = ClickHouseSql.Literal($"\"{hash}\"");
        var predictions = await _http
            .QueryAsync(
                $"SELECT DISTINCT feature, id, time_us FROM {Table("predictions")} "
                    + $"WHERE position(ifNull(inputs, ''), {needle}) > 0 OR position(ifNull(attributes, ''), {needle}) > 0 "
                    + "ORDER BY feature, time_us, id",
                r => new SubjectPrediction(r.String(), r.String(), UnixMicroseconds.ToTime(r.Int64())),
                cancellationToken
            )
            .ConfigureAwait(false);
        if (predictions.Count == 0)
        {
            return new SubjectEvents([], 0, 0, 0);
        }
        var keys = Keys(predictions);
        var counts = new long[3];
        var tables = new[] { "outcomes", "feedback", "business" };
        for (var i = 0; i < tables.Length; i++)
        {
            // A repeat not yet merged away is one event: counted by its (feature, id) once.
            counts[i] = await CountOfAsync(
                    $"SELECT uniqExact(feature, id) FROM {Table(tables[i])} WHERE (feature, ifNull(prediction_id, '')) IN ({keys})",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        return new SubjectEvents(predictions, counts[0], counts[1], counts[2]);
    }

    /// <inheritdoc />
    public async Task<SubjectEvents> EraseSubjectAsync(string hash, CancellationToken cancellationToken = default)
    {
        var found = await FindSubjectAsync(hash, cancellationToken).ConfigureAwait(false);
        if (found.Predictions.Count == 0)
        {
            return found;
        }
        var keys = Keys(found.Predictions);
        // Every shard must be reachable before the first table is touched, so an erasure is done whole or not begun.
        var servers = await MutatingServersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in new[] { "outcome_hours", "outcomes", "feedback", "business" })
        {
            await MutateAsync(
                    servers,
                    table,
                    $"DELETE WHERE (feature, ifNull(prediction_id, '')) IN ({keys})",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        await MutateAsync(servers, "predictions", $"DELETE WHERE (feature, id) IN ({keys})", cancellationToken)
            .ConfigureAwait(false);
        await MarkHoursAsync(
                [.. found.Predictions.Select(p => (p.Feature, FloorHour(UnixMicroseconds.From(p.Time))))],
                cancellationToken
            )
            .ConfigureAwait(false);
        return found;
    }

    /// <inheritdoc />
    public async Task<long> ClearRawAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        var where =
            $"feature = {ClickHouseSql.Literal(feature)} AND time_us < {ClickHouseSql.Literal(UnixMicroseconds.From(before))} "
            + "AND (inputs IS NOT NULL OR output IS NOT NULL OR workflow_reason IS NOT NULL)";
        var due = await CountOfAsync(
                $"SELECT uniqExact(feature, id) FROM {Table("predictions")} WHERE {where}",
                cancellationToken
            )
            .ConfigureAwait(false);
        if (due > 0)
        {
            await MutateAsync(
                    await MutatingServersAsync(cancellationToken).ConfigureAwait(false),
                    "predictions",
                    $"UPDATE inputs = NULL, output = NULL, workflow_reason = NULL WHERE {where}",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        return due;
    }

    private static string Keys(IEnumerable<SubjectPrediction> predictions) =>
        string.Join(
            ", ",
            predictions.Select(p => $"({ClickHouseSql.Literal(p.Feature)}, {ClickHouseSql.Literal(p.Id)})").Distinct()
        );

    /// <summary>
    /// One <c>ALTER TABLE … DELETE|UPDATE</c> mutation on the shards' tables (ClickHouse 18.16 has no synchronous
    /// mutations), then waits until every server has finished it. On replicated shards it is sent to each of
    /// <paramref name="servers"/> (one per shard) without <c>ON CLUSTER</c>, and each shard's other replicas take it
    /// from ZooKeeper: 18.16's distributed DDL runs an ALTER of a replicated table with a race between the replicas of a
    /// shard ("Node exists … /executed") that can stop a replica's DDL worker for good, after which every
    /// <c>ON CLUSTER</c> statement waits out its timeout. Otherwise (one server, or shards without replicas) it is one
    /// statement, <c>ON CLUSTER</c> on a cluster.
    /// </summary>
    private async Task MutateAsync(
        IReadOnlyList<ClickHouseHttp> servers,
        string table,
        string mutation,
        CancellationToken cancellationToken
    )
    {
        var local = ClickHouseSchema.Local(table, Cluster);
        var name = ClickHouseSchema.Name(_database, local);
        if (servers.Count == 0)
        {
            await _http
                .ExecuteAsync($"ALTER TABLE {name}{ClickHouseSchema.OnCluster(Cluster)} {mutation}", cancellationToken)
                .ConfigureAwait(false);
        }
        foreach (var server in servers)
        {
            await server.ExecuteAsync($"ALTER TABLE {name} {mutation}", cancellationToken).ConfigureAwait(false);
        }
        var mutations = Cluster is null
            ? "system.mutations"
            : $"cluster({ClickHouseSql.Literal(Cluster)}, system.mutations)";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var pending = (
                await _http
                    .QueryAsync(
                        $"SELECT count() FROM {mutations} WHERE database = {ClickHouseSql.Literal(_database)} "
                            + $"AND table = {ClickHouseSql.Literal(local)} AND is_done = 0",
                        r => r.UInt64(),
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            )[0];
            if (pending == 0)
            {
                return;
            }
            if (waited.Elapsed > MutationWait)
            {
                throw new StoreUnavailableException(
                    $"ClickHouse has not finished deleting from {table} after {MutationWait.TotalMinutes:0} minutes; it goes on in the background, so retry later to see it done"
                );
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// On replicated shards, one server of each shard to send a mutation to, in the order of the shards' ZooKeeper
    /// paths: of the store's addresses (the first, then the others it was given), the first that answers for the shard.
    /// Empty when the tables do not replicate (the mutation then goes <c>ON CLUSTER</c>, or to the one server). A shard
    /// none of the addresses reaches is a <see cref="StoreUnavailableException"/> that names it and says what to give.
    /// </summary>
    private async Task<IReadOnlyList<ClickHouseHttp>> MutatingServersAsync(CancellationToken cancellationToken) =>
        !Replicated || Cluster is null
            ? []
            : await ShardServersAsync("erasing from", cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One server of each shard of the replicated cluster, in the order of the shards' ZooKeeper paths: of the store's
    /// addresses (the first, then the others it was given), the first that answers for the shard. A shard none of them
    /// reaches is a <see cref="StoreUnavailableException"/> that names it, says what needs it (<paramref name="doing"/>)
    /// and what to give.
    /// </summary>
    private async Task<IReadOnlyList<ClickHouseHttp>> ShardServersAsync(
        string doing,
        CancellationToken cancellationToken
    )
    {
        var cluster = Cluster ?? throw new InvalidOperationException("only a cluster has shards");
        var local = ClickHouseSchema.Local("predictions", cluster);
        var where = $"WHERE database = {ClickHouseSql.Literal(_database)} AND table = {ClickHouseSql.Literal(local)}";
        var shards = await _http
            .QueryAsync(
                $"SELECT DISTINCT zookeeper_path FROM cluster({ClickHouseSql.Literal(cluster)}, system.replicas) {where} ORDER BY zookeeper_path",
                r => r.String(),
                cancellationToken
            )
            .ConfigureAwait(false);
        var chosen = new Dictionary<string, ClickHouseHttp>(StringComparer.Ordinal);
        var unreachable = new List<string>();
        foreach (var server in _others.Prepend(_http))
        {
            if (shards.All(chosen.ContainsKey))
            {
                break;
            }
            try
            {
                var paths = await server
                    .QueryAsync(
                        $"SELECT zookeeper_path FROM system.replicas {where}",
                        r => r.String(),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                foreach (var path in paths)
                {
                    chosen.TryAdd(path, server);
                }
            }
            catch (StoreUnavailableException)
            {
                unreachable.Add($"{server.Address} did not answer");
            }
            catch (ClickHouseException e)
            {
                // A server that refuses the store's user (or is not of this cluster's version of the database).
                unreachable.Add($"{server.Address} refused: {e.Message}");
            }
        }
        var missing = shards.Where(s => !chosen.ContainsKey(s)).ToList();
        if (missing.Count > 0)
        {
            throw new StoreUnavailableException(
                $"{doing} the replicated ClickHouse cluster '{Cluster}' runs on one server of each shard, and no address this server was given reaches the shard of {string.Join(" and ", missing)}"
                    + (unreachable.Count > 0 ? $" ({string.Join("; ", unreachable)})" : "")
                    + "; give a server of every shard to --clickhouse, separated by commas, and restart"
            );
        }
        return [.. shards.Select(s => chosen[s])];
    }
}
