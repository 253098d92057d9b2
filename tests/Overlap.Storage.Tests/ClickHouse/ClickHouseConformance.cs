using Overlap.Storage.Tests.Conformance;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// The ClickHouse event store for the conformance suite, on the two-shard test cluster: each store a new database made
/// on every shard (ON CLUSTER) by the store's own migrations, reached through shard 1 (and given shard 2's address for erasures), with its own instance folder;
/// the databases and folders are dropped when the backend is disposed.
/// </summary>
public sealed class ClickHouseBackend : IConformanceBackend
{
    private readonly List<string> _databases = [];
    private readonly List<string> _folders = [];

    public StorageOptions NewStore() =>
        AddTo(new StorageOptions { Location = NewFolder(), Backend = StorageBackend.Server });

    /// <summary>
    /// <paramref name="options"/> with a new ClickHouse database for its events: how a backend that also has a state
    /// store (PostgreSQL) adds the event store to the options it makes.
    /// </summary>
    public StorageOptions AddTo(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var database = ClickHouseServers.NewDatabase();
        _databases.Add(database);
        return options with
        {
            Backend = StorageBackend.Server,
            // Shard 2's server too: an erasure on replicated shards runs on one server of each.
            ClickHouse = $"{ClickHouseServers.Address(ClickHouseServers.Shard1, database)},{ClickHouseServers.Shard2}",
            ClickHouseCluster = ClickHouseServers.Name,
        };
    }

    private string NewFolder()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-clickhouse-store-").FullName;
        _folders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            ClickHouseServers
                .ExecuteAsync(
                    ClickHouseServers.Shard1,
                    $"DROP DATABASE IF EXISTS `{database}` ON CLUSTER `{ClickHouseServers.Name}`"
                )
                .GetAwaiter()
                .GetResult();
        }
        _folders.ForEach(f => Directory.Delete(f, recursive: true));
    }
}

[Collection(ClickHouseCluster.Name)]
public sealed class ClickHouseEventRecordConformance : EventRecordConformance<ClickHouseBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ClickHouseLogAndChangeConformance : LogAndChangeConformance<ClickHouseBackend>;

// EventConformance needs state capabilities beside the events (contracts, keys, window reports): it runs on the
// server backend as a whole (Server/ServerConformance.cs), with ClickHouseBackend.AddTo adding the event store.

[Collection(ClickHouseCluster.Name)]
public sealed class ClickHouseWorkflowConformance : WorkflowConformance<ClickHouseBackend>;
