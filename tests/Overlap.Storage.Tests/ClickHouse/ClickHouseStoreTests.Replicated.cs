using Overlap.Core.Timestamps;
using Overlap.Events;
using Overlap.Storage.ClickHouse;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// Replication, identical insert blocks, closed partitions and streamed reads, on the test cluster (shard 1 has two
/// replicas). Counts "without FINAL" are plain <c>count()</c>s of the local tables: the rows as stored, before any
/// merge.
/// </summary>
public sealed partial class ClickHouseStoreTests
{
    /// <summary>A batch of <paramref name="predictions"/> predictions (ids r00, r01, …) and an outcome for every other
    /// one.</summary>
    private static List<FeatureEvent> Batch(int predictions)
    {
        var events = new List<FeatureEvent>();
        for (var i = 0; i < predictions; i++)
        {
            events.Add(Prediction($"r{i:D2}", i, (i % 10) / 10.0));
        }
        for (var i = 0; i < predictions; i += 2)
        {
            events.Add(Outcome($"r{i:D2}", 0, i % 4 == 0 ? "1" : "0"));
        }
        return events;
    }

    private Task OnReplicaAsync(string statement, string table) =>
        ClickHouseServers.ExecuteAsync(ClickHouseServers.Replica, $"{statement} `{_database}`.`{table}_local`");

    private Task<long> RowsOnReplicaAsync(string table) =>
        ClickHouseServers.CountAsync(ClickHouseServers.Replica, $"SELECT count() FROM `{_database}`.`{table}_local`");

    [Fact]
    public async Task Cluster_WithReplicaMacros_MakesReplicatedTables_AndTheSecondReplicaGetsTheRows()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        Assert.True(store.Replicated);
        Assert.Equal(
            1,
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Replica,
                $"SELECT count() FROM system.tables WHERE database = '{_database}' AND name = 'predictions_local' "
                    + "AND engine = 'ReplicatedReplacingMergeTree'"
            )
        );
        Assert.Equal(new AppendResult(30, 0), await store.AppendAsync(Batch(20), Noon));

        await OnReplicaAsync("SYSTEM SYNC REPLICA", "predictions");
        var (shard1, shard2) = await LocalRowsAsync("predictions");
        Assert.Equal(20, shard1 + shard2);
        Assert.True(shard1 > 0, "no prediction landed on shard 1");
        Assert.Equal(shard1, await RowsOnReplicaAsync("predictions"));

        // One server, no cluster: plain ReplacingMergeTree, and the store says so.
        var single = await ClickHouseStore.OpenAsync(
            ClickHouseServers.Address(ClickHouseServers.Shard2, _database + "_single"),
            null,
            _folders[0]
        );
        _stores.Add(single);
        Assert.False(single.Replicated);
        // Its ended months are merged too (no ON CLUSTER): two copies of one October prediction become one row.
        var table = $"`{_database}_single`.`predictions`";
        foreach (var received in new[] { 1, 2 })
        {
            await ClickHouseServers.ExecuteAsync(
                ClickHouseServers.Shard2,
                $"INSERT INTO {table} (feature, id, time_us, received_us) "
                    + $"VALUES ('fraud', 'old', 1790000000000000, {received})"
            );
        }
        Assert.Equal(1, await single.OptimizeClosedPartitionsAsync(Noon));
        Assert.Equal(1, await ClickHouseServers.CountAsync(ClickHouseServers.Shard2, $"SELECT count() FROM {table}"));
        await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard2, $"DROP DATABASE `{_database}_single`");
    }

    [Fact]
    public async Task SameBatch_SentAgainWhereTheKeyCheckCannotSeeIt_IsReadOnce_AndAStoredEventIsNeverSentAgain()
    {
        var first = await InstanceAsync(ClickHouseServers.Shard1);
        var otherShard = await InstanceAsync(ClickHouseServers.Shard2);
        var lagging = await InstanceAsync(ClickHouseServers.Replica);
        var batch = Batch(40);
        // Shard 1's second replica stops fetching: an instance on it reads shard 1 from its own stale copy, so its key
        // check finds none of shard 1's events, as after a crash when the replica read has not caught up.
        await OnReplicaAsync("SYSTEM STOP FETCHES", "predictions");
        await OnReplicaAsync("SYSTEM STOP FETCHES", "outcomes");
        (long Shard1, long Shard2) predictions,
            outcomes;
        try
        {
            // A client sent ten of the predictions before (another batch); then the whole batch is loaded. The ten
            // stored ones are not sent again: the first delivery of an id is the one kept.
            Assert.Equal(new AppendResult(10, 0), await first.AppendAsync(batch[..10], Noon));
            Assert.Equal(new AppendResult(50, 10), await first.AppendFromLogAsync(batch, Noon, 10));
            predictions = await LocalRowsAsync("predictions");
            outcomes = await LocalRowsAsync("outcomes");
            Assert.Equal((40L, 20L), (predictions.Shard1 + predictions.Shard2, outcomes.Shard1 + outcomes.Shard2));

            // Through the other shard's server, the key check sees every event: nothing is sent.
            Assert.Equal(new AppendResult(0, 60), await otherShard.AppendFromLogAsync(batch, Noon, 10));
            // Through the lagging replica, shard 1's events look new, so they are sent again.
            var onShard1 = await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard1,
                $"SELECT (SELECT uniqExact(id) FROM `{_database}`.`predictions_local`) "
                    + $"+ (SELECT uniqExact(id) FROM `{_database}`.`outcomes_local`)"
            );
            Assert.True(onShard1 > 0, "no event landed on shard 1");
            Assert.Equal(
                new AppendResult((int)onShard1, 60 - (int)onShard1),
                await lagging.AppendFromLogAsync(batch, Noon, 10)
            );
            // The lagging replica had fetched nothing, so what it holds now is what reached it: shard 1's predictions
            // (the first load sent them in two blocks, ten before the rest, so this block is new), but none of the
            // outcomes: the first load sent shard 1's outcomes as this very block, and the replicas share the hashes of
            // their blocks, so the replica dropped it.
            Assert.Equal(predictions.Shard1, await RowsOnReplicaAsync("predictions"));
            Assert.Equal(0, await RowsOnReplicaAsync("outcomes"));
        }
        finally
        {
            await OnReplicaAsync("SYSTEM START FETCHES", "predictions");
            await OnReplicaAsync("SYSTEM START FETCHES", "outcomes");
        }
        // Both replicas catch up; shard 1 holds two rows for each of its predictions until a merge, which FINAL reads
        // once.
        foreach (var table in new[] { "predictions", "outcomes" })
        {
            await OnReplicaAsync("SYSTEM SYNC REPLICA", table);
        }
        Assert.Equal(new EventCounts(40, 20, 0, 0, 20), await lagging.CountAsync("fraud"));
    }

    [Fact]
    public async Task PartialFailureMidBatch_ThenTheRetry_StoresEachEventOnce()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        var batch = Batch(40);
        // Shard 2's outcomes table loses a column the insert names: the key checks pass and the predictions are stored,
        // the outcomes insert fails (shard 1 may have stored its block of it), and the position is not written.
        var outcomesOnShard2 = $"`{_database}`.`outcomes_local`";
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard2,
            $"ALTER TABLE {outcomesOnShard2} DROP COLUMN source"
        );
        try
        {
            await Assert.ThrowsAsync<ClickHouseException>(() => store.AppendFromLogAsync(batch, Noon, 50));
        }
        finally
        {
            await ClickHouseServers.ExecuteAsync(
                ClickHouseServers.Shard2,
                $"ALTER TABLE {outcomesOnShard2} ADD COLUMN source Nullable(String) AFTER label"
            );
        }
        Assert.Null(await store.GetLogPositionAsync());
        Assert.Equal(40, (await LocalRowsAsync("predictions")) is var (a, b) ? a + b : -1);
        var (shard1, shard2) = await LocalRowsAsync("outcomes");
        Assert.Equal(0, shard2);

        // The loader sends the same batch again: the predictions are found stored and not sent; the outcomes are sent
        // as the same block, and shard 1 drops its copy.
        Assert.Equal(
            new AppendResult(20 - (int)shard1, 40 + (int)shard1),
            await store.AppendFromLogAsync(batch, Noon, 50)
        );
        Assert.Equal(50, await store.GetLogPositionAsync());
        Assert.Equal(40, (await LocalRowsAsync("predictions")) is var (e, f) ? e + f : -1);
        Assert.Equal(20, (await LocalRowsAsync("outcomes")) is var (g, h) ? g + h : -1);
        Assert.Equal(new EventCounts(40, 20, 0, 0, 20), await store.CountAsync("fraud"));
    }

    [Fact]
    public async Task ClosedPartitions_AreMerged_SoTheyCountRightWithoutFinal()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        var october = new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);
        var november = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var december = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var now = new DateTimeOffset(2026, 12, 3, 11, 0, 0, TimeSpan.Zero);
        // Each key written three times, as three inserts that differ in their received time (copies past the key check,
        // which block dedup cannot drop): 30 keys in October, 20 in November, 10 in December, so 180 rows stored before
        // any merge.
        foreach (var (month, keys) in new[] { (october, 30), (november, 20), (december, 10) })
        {
            for (var copy = 0; copy < 3; copy++)
            {
                var rows = string.Join(
                    ", ",
                    Enumerable
                        .Range(0, keys)
                        .Select(i =>
                            $"('fraud', 'm{month.Month}-{i}', {UnixMicroseconds.From(month.AddHours(i))}, {copy})"
                        )
                );
                await ClickHouseServers.ExecuteAsync(
                    ClickHouseServers.Shard1,
                    $"INSERT INTO `{_database}`.`predictions` (feature, id, time_us, received_us) VALUES {rows}"
                );
            }
        }
        Assert.Equal(180, (await LocalRowsAsync("predictions")) is var (a, b) ? a + b : -1);

        // October and November have ended: their partitions are merged (one table, two months); December is open.
        Assert.Equal(2, await store.OptimizeClosedPartitionsAsync(now));
        Assert.Equal(30, await RowsInMonthAsync(202610));
        Assert.Equal(20, await RowsInMonthAsync(202611));
        Assert.Equal(30, await RowsInMonthAsync(202612));
        Assert.Equal(60, (await store.CountAsync("fraud")).Predictions);

        // Nothing changed: nothing to do. A late event for October opens that partition again, once.
        Assert.Equal(0, await store.OptimizeClosedPartitionsAsync(now));
        await store.AppendAsync([Prediction("late", 0, 0.5) with { Time = october.AddDays(3) }], now);
        Assert.Equal(1, await store.OptimizeClosedPartitionsAsync(now));
        Assert.Equal(31, await RowsInMonthAsync(202610));
        Assert.Equal(0, await store.OptimizeClosedPartitionsAsync(now));
        // A month later December has ended too.
        Assert.Equal(1, await store.OptimizeClosedPartitionsAsync(now.AddMonths(1)));
        Assert.Equal(10, await RowsInMonthAsync(202612));
    }

    /// <summary>The predictions stored (no FINAL) in a month, over both shards.</summary>
    private async Task<long> RowsInMonthAsync(int month)
    {
        var sql =
            $"SELECT count() FROM `{_database}`.`predictions_local` "
            + $"WHERE toYYYYMM(toDateTime(intDiv(time_us, 1000000))) = {month}";
        return await ClickHouseServers.CountAsync(ClickHouseServers.Shard1, sql)
            + await ClickHouseServers.CountAsync(ClickHouseServers.Shard2, sql);
    }

    [Fact]
    public async Task ReadOf200kRows_StreamsThroughABuffer_WithoutHoldingTheAnswer()
    {
        // 200,000 rows of 32 whole numbers: a 51.2 MB answer in RowBinary. Allocations are counted for the whole
        // process (other tests may run meanwhile), so the least of three reads is compared.
        const int Rows = 200_000;
        var columns = string.Join(", ", Enumerable.Range(0, 32).Select(c => $"toInt64(number * {c + 1})"));
        using var http = new ClickHouseHttp(new Uri(ClickHouseServers.Shard1), TimeSpan.FromMinutes(2));
        var least = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            long count = 0;
            long sum = 0;
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await http.ReadAsync(
                $"SELECT {columns} FROM system.numbers LIMIT {Rows}",
                r =>
                {
                    count++;
                    for (var c = 0; c < 32; c++)
                    {
                        sum += c == 31 ? r.Int64() / 32 : r.Int64() * 0;
                    }
                },
                CancellationToken.None
            );
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
            Assert.Equal(Rows, count);
            Assert.Equal((long)Rows * (Rows - 1) / 2, sum);
        }
        Assert.True(least < 8_000_000, $"a 51.2 MB answer allocated {least:N0} bytes");
    }
}
