using Overlap.Core.Timestamps;
using Overlap.Events;
using Overlap.Storage.ClickHouse;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// The predictions are partitioned by day (migration 4), so a day's window reads that day's parts: a new database is
/// made so, and a database an earlier version made (by month) has its predictions copied into the daily table when it
/// opens, also when an earlier try was cut short at any point of the swap, without losing or doubling a prediction.
/// </summary>
public sealed partial class ClickHouseStoreTests
{
    /// <summary>Six predictions over two days (one of them stored twice, as a retried insert leaves it) and a label.</summary>
    private static readonly string OldRows = string.Join(
        ", ",
        Enumerable
            .Range(0, 6)
            .Select(i =>
                $"('fraud', 'old{i}', {UnixMicroseconds.From(Noon.AddHours(i * 5))}, {UnixMicroseconds.From(Noon)}, "
                + $"{(i + 1) / 10.0:0.0}, '{(i % 2 == 0 ? "1" : "0")}', '{{\"country\":\"de\"}}', 'route {i}')"
            )
            .Append(
                $"('fraud', 'old0', {UnixMicroseconds.From(Noon)}, {UnixMicroseconds.From(Noon) + 1}, 0.1, '1', '{{\"country\":\"de\"}}', 'route 0')"
            )
    );

    /// <summary>Where the predictions' local table of <paramref name="database"/> is partitioned by, on <paramref name="shard"/>.</summary>
    private static async Task<string> PartitionKeyAsync(string shard, string database)
    {
        using var http = new ClickHouseHttp(new Uri(shard), TimeSpan.FromSeconds(30));
        var keys = await http.QueryAsync(
            $"SELECT partition_key FROM system.tables WHERE database = '{database}' AND name = 'predictions_local'",
            r => r.String(),
            CancellationToken.None
        );
        return Assert.Single(keys);
    }

    /// <summary>Fails unless the predictions of <paramref name="database"/> are partitioned by day on both shards.</summary>
    private static async Task AssertByDayAsync(string database)
    {
        Assert.Contains("toYYYYMMDD(", await PartitionKeyAsync(ClickHouseServers.Shard1, database));
        Assert.Contains("toYYYYMMDD(", await PartitionKeyAsync(ClickHouseServers.Shard2, database));
    }

    /// <summary>Whether the test cluster's servers name their shard and replica (its tables then replicate).</summary>
    private static async Task<bool> ReplicatedAsync() =>
        await ClickHouseServers.CountAsync(
            ClickHouseServers.Shard1,
            "SELECT count() FROM system.macros WHERE macro IN ('shard', 'replica')"
        ) == 2;

    /// <summary>
    /// Makes <paramref name="database"/> as version 3 left it (predictions partitioned by month, migrations 1 to 3
    /// recorded) with <see cref="OldRows"/> in it.
    /// </summary>
    private static async Task MakeAsVersion3Async(string database)
    {
        var replicated = await ReplicatedAsync();
        foreach (
            var sql in ClickHouseSchema
                .Bootstrap(database, ClickHouseServers.Name, replicated)
                .Concat(ClickHouseSchema.MadeBy(3, database, ClickHouseServers.Name, replicated))
        )
        {
            await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard1, sql);
        }
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"INSERT INTO `{database}`.`schema_migrations` (version, applied_us) VALUES (1, 0), (2, 0), (3, 0)"
        );
        Assert.Contains("toYYYYMM(", await PartitionKeyAsync(ClickHouseServers.Shard1, database));
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"INSERT INTO `{database}`.`predictions` "
                + "(feature, id, time_us, received_us, score, prediction, attributes, workflow_route) VALUES "
                + OldRows
        );
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"INSERT INTO `{database}`.`outcome_hours` (feature, prediction_hour, prediction_id, id, label, time_us) "
                + $"VALUES ('fraud', -1, 'old1', 'o-old1', '1', {UnixMicroseconds.From(Noon.AddDays(2))})"
        );
    }

    [Fact]
    public async Task NewDatabase_PartitionsPredictionsByDay()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        await store.AppendAsync([Prediction("p1", 0, 0.9), Prediction("p2", 24 * 60, 0.2)], Noon);
        await AssertByDayAsync(_database);
        Assert.Equal(
            2,
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard1,
                $"SELECT uniqExact(partition_id) FROM cluster('{ClickHouseServers.Name}', system.parts) "
                    + $"WHERE database = '{_database}' AND table = 'predictions_local' AND active "
                    + "AND partition_id IN ('20261123', '20261124')"
            )
        );
    }

    /// <summary>
    /// An earlier version's database, opened: migration 4 copies its predictions into the daily table, cut short first
    /// after <paramref name="cut"/> of its statements (0: not cut), and everything stored reads as before.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(3)] // after the copy
    [InlineData(4)] // after the copy and the drop of the old local tables
    [InlineData(6)] // after the swap's rename
    public async Task DatabaseMadeByMonth_HasItsPredictionsMovedToDays_WhenItOpens_EvenAfterACutShortTry(int cut)
    {
        var database = _database + "_v3_" + cut;
        try
        {
            await MakeAsVersion3Async(database);
            if (cut > 0)
            {
                var (version, statements) = ClickHouseSchema
                    .After(new HashSet<int> { 1, 2, 3 }, database, ClickHouseServers.Name, await ReplicatedAsync())
                    .Single();
                Assert.Equal(4, version);
                foreach (var (sql, _) in statements.Take(cut))
                {
                    await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard1, sql);
                }
            }

            var folder = Directory.CreateTempSubdirectory("overlap-clickhouse-instance-").FullName;
            _folders.Add(folder);
            var store = await ClickHouseStore.OpenAsync(
                ClickHouseServers.Address(ClickHouseServers.Shard2, database),
                ClickHouseServers.Name,
                folder
            );
            _stores.Add(store);
            await AssertByDayAsync(database);
            Assert.Equal(
                0,
                await ClickHouseServers.CountAsync(
                    ClickHouseServers.Shard1,
                    $"SELECT count() FROM system.tables WHERE database = '{database}' AND name LIKE 'predictions_by_day%'"
                )
            );
            Assert.Equal(
                4,
                await ClickHouseServers.CountAsync(
                    ClickHouseServers.Shard1,
                    $"SELECT uniqExact(version) FROM `{database}`.`schema_migrations`"
                )
            );

            // Each prediction once, with what the earlier version stored, and its label.
            Assert.Equal(new EventCounts(6, 0, 0, 0, 0), await store.CountAsync("fraud"));
            var read = (await store.ReadEventsAsync("fraud", Noon.AddDays(-1), Noon.AddDays(3)))
                .OfType<PredictionEvent>()
                .ToList();
            Assert.Equal(
                Enumerable.Range(0, 6).Select(i => ($"old{i}", Noon.AddHours(i * 5), (i + 1) / 10.0, $"route {i}")),
                read.Select(p => (p.Id, p.Time, p.Score!.Value, p.Workflow!.Route!))
            );
            var rows = await store.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(11), ["country"]);
            Assert.Equal(["old0", "old1", "old2"], rows.Ids);
            Assert.Equal(new string?[] { null, "1", null }, rows.Labels);
            // A prediction sent again is still found stored; a new one is added, on its day.
            Assert.Equal(
                new AppendResult(1, 1),
                await store.AppendAsync(
                    [Prediction("old3", 0, 0.4) with { Time = Noon.AddHours(15) }, Prediction("new", 30, 0.6)],
                    Noon.AddDays(2)
                )
            );
            Assert.Equal(7, (await store.CountAsync("fraud")).Predictions);
        }
        finally
        {
            await ClickHouseServers.ExecuteAsync(
                ClickHouseServers.Shard1,
                $"DROP DATABASE IF EXISTS `{database}` ON CLUSTER `{ClickHouseServers.Name}`"
            );
        }
    }
}
