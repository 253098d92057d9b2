using Overlap.Storage.ClickHouse;
using Overlap.Tests.Shared;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// The two-shard ClickHouse cluster the tests use (shard 1 with two replicas): the one scripts/test.sh started (named
/// by OVERLAP_TEST_CLICKHOUSE, OVERLAP_TEST_CLICKHOUSE_REPLICA, OVERLAP_TEST_CLICKHOUSE_SHARD2 and
/// OVERLAP_TEST_CLICKHOUSE_CLUSTER), or, when those are unset (dotnet test alone),
/// one started once per run through scripts/services/clickhouse.sh and stopped by <see cref="ClickHouseCluster"/> when
/// the tests that use it are done.
/// </summary>
internal static class ClickHouseServers
{
    private static readonly Lazy<(string Shard1, string Replica, string Shard2, string Cluster)> Cluster = new(Start);
    private static string? _started;

    /// <summary>Shard 1's HTTP address.</summary>
    public static string Shard1 => Cluster.Value.Shard1;

    /// <summary>The HTTP address of shard 1's second replica.</summary>
    public static string Replica => Cluster.Value.Replica;

    /// <summary>Shard 2's HTTP address.</summary>
    public static string Shard2 => Cluster.Value.Shard2;

    /// <summary>The cluster's name.</summary>
    public static string Name => Cluster.Value.Cluster;

    /// <summary>A new database name, unique to this run.</summary>
    public static string NewDatabase() => "overlap_test_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The address of a database through one shard.</summary>
    public static string Address(string shard, string database) => $"{shard.TrimEnd('/')}/?database={database}";

    /// <summary>Runs a statement on a shard (for checks below the store: local tables, dropping databases).</summary>
    public static async Task ExecuteAsync(string shard, string sql)
    {
        using var http = new ClickHouseHttp(new Uri(shard), TimeSpan.FromMinutes(3));
        await http.ExecuteAsync(sql, CancellationToken.None);
    }

    /// <summary>Runs a query that returns one whole number on a shard.</summary>
    public static async Task<long> CountAsync(string shard, string sql)
    {
        using var http = new ClickHouseHttp(new Uri(shard), TimeSpan.FromMinutes(3));
        return (await http.QueryAsync($"SELECT toInt64(({sql}))", r => r.Int64(), CancellationToken.None))[0];
    }

    private static (string, string, string, string) Start()
    {
        var shard1 = Environment.GetEnvironmentVariable("OVERLAP_TEST_CLICKHOUSE");
        var replica = Environment.GetEnvironmentVariable("OVERLAP_TEST_CLICKHOUSE_REPLICA");
        var shard2 = Environment.GetEnvironmentVariable("OVERLAP_TEST_CLICKHOUSE_SHARD2");
        var cluster = Environment.GetEnvironmentVariable("OVERLAP_TEST_CLICKHOUSE_CLUSTER");
        if (
            shard1 is { Length: > 0 }
            && replica is { Length: > 0 }
            && shard2 is { Length: > 0 }
            && cluster is { Length: > 0 }
        )
        {
            return (shard1, replica, shard2, cluster);
        }
        // Stopped by StopStarted when the run ends (the servers' folders are large).
        var (values, _, folder) = ServiceScript.Start("clickhouse", stopWithThisProcess: false);
        _started = folder;
        return (
            values["OVERLAP_TEST_CLICKHOUSE"],
            values["OVERLAP_TEST_CLICKHOUSE_REPLICA"],
            values["OVERLAP_TEST_CLICKHOUSE_SHARD2"],
            values["OVERLAP_TEST_CLICKHOUSE_CLUSTER"]
        );
    }

    /// <summary>Stops the servers when this run started them.</summary>
    public static void StopStarted()
    {
        if (Interlocked.Exchange(ref _started, null) is { } folder)
        {
            ServiceScript.Run(RepositoryRoot.File("scripts/services/clickhouse.sh"), "stop", folder);
            Directory.Delete(folder, recursive: true);
        }
    }
}
