using Overlap.Events;
using Overlap.Storage.ClickHouse;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// A database an earlier version made, upgraded on the replicated test cluster: the columns a migration adds are added
/// on one server of each shard without <c>ON CLUSTER</c> (ClickHouse 18.16's distributed DDL runs an ALTER of a
/// replicated table with a race between a shard's replicas that can stop a replica's DDL worker for good), and the
/// shard's other replicas get them through ZooKeeper.
/// </summary>
public sealed partial class ClickHouseStoreTests
{
    private static readonly string[] WorkflowColumns =
    [
        "workflow_route",
        "workflow_attempts",
        "workflow_failed_checks",
        "workflow_reason",
    ];

    private static readonly string[] EveryServer =
    [
        ClickHouseServers.Shard1,
        ClickHouseServers.Replica,
        ClickHouseServers.Shard2,
    ];

    /// <summary>
    /// Makes the test's database as a version before migration 2 left it: no workflow columns on any server (dropped on
    /// one server per shard; the replica follows), the Distributed table without them, migrations 1 and 3 applied.
    /// </summary>
    private async Task AsBeforeWorkflowColumnsAsync()
    {
        foreach (var server in new[] { ClickHouseServers.Shard1, ClickHouseServers.Shard2 })
        {
            foreach (var column in WorkflowColumns)
            {
                await ClickHouseServers.ExecuteAsync(
                    server,
                    $"ALTER TABLE `{_database}`.`predictions_local` DROP COLUMN {column}"
                );
            }
        }
        await OnReplicaAsync("SYSTEM SYNC REPLICA", "predictions");
        foreach (var server in EveryServer)
        {
            await ClickHouseServers.ExecuteAsync(server, $"DROP TABLE `{_database}`.`predictions`");
            await ClickHouseServers.ExecuteAsync(
                server,
                $"CREATE TABLE `{_database}`.`predictions` AS `{_database}`.`predictions_local` "
                    + $"ENGINE = Distributed(`{ClickHouseServers.Name}`, `{_database}`, `predictions_local`, cityHash64(feature, id))"
            );
        }
        var cluster = ClickHouseSchema.OnCluster(ClickHouseServers.Name);
        foreach (var table in new[] { "schema_migrations", "schema_migrations_local" })
        {
            await ClickHouseServers.ExecuteAsync(
                ClickHouseServers.Shard1,
                $"DROP TABLE IF EXISTS `{_database}`.`{table}`{cluster}"
            );
        }
        foreach (var statement in ClickHouseSchema.Bootstrap(_database, ClickHouseServers.Name, replicated: true))
        {
            await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard1, statement);
        }
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"INSERT INTO `{_database}`.`schema_migrations` (version, applied_us) VALUES (1, 0), (3, 0)"
        );
        foreach (var server in EveryServer)
        {
            Assert.Equal(0, await WorkflowColumnsAsync(server, "predictions_local"));
        }
    }

    /// <summary>How many of the workflow columns <paramref name="table"/> has on <paramref name="server"/>.</summary>
    private Task<long> WorkflowColumnsAsync(string server, string table) =>
        ClickHouseServers.CountAsync(
            server,
            $"SELECT count() FROM system.columns WHERE database = '{_database}' AND table = '{table}' "
                + "AND name LIKE 'workflow%'"
        );

    [Fact]
    public async Task AnUpgrade_OnAReplicatedCluster_AddsColumnsOncePerShard_ToEveryReplica_WithoutTheDdlQueue()
    {
        var made = await InstanceAsync(ClickHouseServers.Shard1);
        Assert.True(made.Replicated);
        Assert.Equal(
            new AppendResult(20, 0),
            await made.AppendAsync([.. Enumerable.Range(0, 20).Select(i => Prediction($"u{i:D2}", i, 0.5))], Noon)
        );
        await AsBeforeWorkflowColumnsAsync();

        // Given only shard 1's servers, the upgrade cannot reach shard 2: refused before anything is changed.
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            InstanceAsync(ClickHouseServers.Shard1, null, ClickHouseServers.Replica)
        );
        Assert.Contains(
            "upgrading the tables of the replicated ClickHouse cluster",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Contains("give a server of every shard to --clickhouse", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await WorkflowColumnsAsync(ClickHouseServers.Shard1, "predictions_local"));

        var upgraded = await InstanceAsync(ClickHouseServers.Shard1, null, ClickHouseServers.Shard2);
        await OnReplicaAsync("SYSTEM SYNC REPLICA", "predictions");
        foreach (var server in EveryServer)
        {
            Assert.Equal(4, await WorkflowColumnsAsync(server, "predictions_local"));
            Assert.Equal(4, await WorkflowColumnsAsync(server, "predictions"));
        }
        Assert.Equal(0, await DdlTasksAsync("ADD COLUMN"));
        Assert.Equal(
            ClickHouseSchema.Latest,
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard1,
                $"SELECT uniqExact(version) FROM `{_database}`.`schema_migrations`"
            )
        );

        // The rows stored before read back, and a new one keeps its workflow.
        Assert.Equal(
            new AppendResult(1, 0),
            await upgraded.AppendAsync(
                [Prediction("u99", 30, 0.5) with { Workflow = new WorkflowTrace { Route = WorkflowRoutes.Fallback } }],
                Noon
            )
        );
        Assert.Equal(21, (await upgraded.CountAsync("fraud")).Predictions);
        Assert.Equal(
            1,
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard2,
                $"SELECT count() FROM `{_database}`.`predictions` WHERE workflow_route = 'fallback'"
            )
        );
    }
}
