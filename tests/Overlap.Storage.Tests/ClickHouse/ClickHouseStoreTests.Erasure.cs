using Overlap.Events;
using Overlap.Storage.ClickHouse;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// Erasure and the clearing of raw data on the replicated test cluster: each mutation runs on one server of each shard
/// without <c>ON CLUSTER</c> (ClickHouse 18.16's distributed DDL runs an ALTER of a replicated table with a race
/// between a shard's replicas that can stop a replica's DDL worker for good), and the shard's other replicas get it
/// through ZooKeeper.
/// </summary>
public sealed partial class ClickHouseStoreTests
{
    private const string Subject = "hmac:00112233445566778899aabbccddeeff";

    /// <summary>Twenty predictions of one subject (ids s00, s01, …: both shards get some), an outcome for every other
    /// one, and a prediction of someone else.</summary>
    private static List<FeatureEvent> SubjectBatch()
    {
        var events = new List<FeatureEvent>();
        for (var i = 0; i < 20; i++)
        {
            events.Add(
                Prediction($"s{i:D2}", i, 0.5) with
                {
                    AttributesJson = $"{{\"user_id\":\"{Subject}\"}}",
                    InputsJson = $"{{\"text\":\"message {i}\"}}",
                }
            );
        }
        for (var i = 0; i < 20; i += 2)
        {
            events.Add(Outcome($"s{i:D2}", 0, "1"));
        }
        events.Add(Prediction("other", 30, 0.5) with { InputsJson = "{\"text\":\"kept\"}" });
        return events;
    }

    /// <summary>The distributed DDL tasks whose statement names the test's database and <paramref name="word"/>.</summary>
    private Task<long> DdlTasksAsync(string word) =>
        ClickHouseServers.CountAsync(
            ClickHouseServers.Shard1,
            "SELECT count() FROM system.zookeeper WHERE path = '/clickhouse/task_queue/ddl' "
                + $"AND position(value, '{_database}') > 0 AND position(value, '{word}') > 0"
        );

    private async Task<long> RowsEverywhereAsync(string table, string where)
    {
        await OnReplicaAsync("SYSTEM SYNC REPLICA", table);
        long rows = 0;
        foreach (var server in new[] { ClickHouseServers.Shard1, ClickHouseServers.Replica, ClickHouseServers.Shard2 })
        {
            rows += await ClickHouseServers.CountAsync(
                server,
                $"SELECT count() FROM `{_database}`.`{table}_local` WHERE {where}"
            );
        }
        return rows;
    }

    [Fact]
    public async Task AnErasure_OnAReplicatedCluster_RunsOncePerShard_AndReachesEveryReplica_WithoutTheDdlQueue()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1, null, ClickHouseServers.Shard2);
        Assert.True(store.Replicated);
        Assert.Equal(new AppendResult(31, 0), await store.AppendAsync(SubjectBatch(), Noon));
        var onShard1 = await ClickHouseServers.CountAsync(
            ClickHouseServers.Shard1,
            $"SELECT count() FROM `{_database}`.`predictions_local` WHERE id LIKE 's%'"
        );
        Assert.InRange(onShard1, 1, 19);
        // Shard 1's rows are on both its replicas before the erasure.
        Assert.Equal(20 + onShard1, await RowsEverywhereAsync("predictions", "id LIKE 's%'"));

        var erased = await store.EraseSubjectAsync(Subject);
        Assert.Equal(20, erased.Predictions.Count);
        Assert.Equal(10, erased.Outcomes);

        Assert.Equal(0, await RowsEverywhereAsync("predictions", "id LIKE 's%'"));
        Assert.Equal(0, await RowsEverywhereAsync("outcomes", "prediction_id LIKE 's%'"));
        Assert.Equal(0, await RowsEverywhereAsync("outcome_hours", "prediction_id LIKE 's%'"));
        Assert.Equal(new EventCounts(1, 0, 0, 0, 0), await store.CountAsync("fraud"));
        Assert.Equal(0, await DdlTasksAsync("DELETE"));

        // The clearing of raw inputs is a mutation too: the other prediction's text is cleared on every replica.
        Assert.Equal(1, await store.ClearRawAsync("fraud", Noon.AddDays(1)));
        Assert.Equal(0, await RowsEverywhereAsync("predictions", "inputs IS NOT NULL"));
        Assert.Equal(0, await DdlTasksAsync("UPDATE"));
    }

    [Fact]
    public async Task AnErasure_OnAReplicatedCluster_WithNoAddressOfAShard_SaysWhatToGive_AndErasesNothing()
    {
        // Shard 1's two replicas are given, and shard 2 only with a user its server does not know.
        var stranger = new UriBuilder(ClickHouseServers.Shard2) { UserName = "nobody", Password = "x" }.Uri;
        var store = await InstanceAsync(ClickHouseServers.Shard1, null, ClickHouseServers.Replica, stranger.ToString());
        Assert.Equal(new AppendResult(31, 0), await store.AppendAsync(SubjectBatch(), Noon));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.EraseSubjectAsync(Subject));
        Assert.Contains("one server of each shard", error.Message, StringComparison.Ordinal);
        Assert.Contains("--clickhouse", error.Message, StringComparison.Ordinal);
        Assert.Contains($"/{_database}/predictions_local", error.Message, StringComparison.Ordinal);
        Assert.True(
            error.Message.Contains(
                $"{ClickHouseServers.Shard2.TrimEnd('/')}/ refused: ClickHouse refused a statement: Unknown user nobody",
                StringComparison.Ordinal
            ),
            error.Message
        );
        // The address is named without its user and password.
        Assert.DoesNotContain("nobody:x", error.Message, StringComparison.Ordinal);
        Assert.Equal(new EventCounts(21, 10, 0, 0, 10), await store.CountAsync("fraud"));
        Assert.Equal(20, (await store.FindSubjectAsync(Subject)).Predictions.Count);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ClearRawAsync("fraud", Noon.AddDays(1)));
        Assert.Equal(
            21,
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard1,
                $"SELECT count() FROM `{_database}`.`predictions` WHERE inputs IS NOT NULL"
            )
        );
    }
}
