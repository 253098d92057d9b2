using Npgsql;
using Overlap.Tests.Shared;

namespace Overlap.Cluster.Tests;

/// <summary>
/// The PostgreSQL server and the two-shard ClickHouse cluster the tests share: the ones scripts/test.sh started (named by
/// OVERLAP_TEST_POSTGRES, OVERLAP_TEST_CLICKHOUSE, OVERLAP_TEST_CLICKHOUSE_SHARD2 and OVERLAP_TEST_CLICKHOUSE_CLUSTER), or,
/// when those are unset (dotnet test alone), ones started once per run through scripts/services/*.sh and stopped when
/// this process ends.
/// </summary>
internal static class ClusterServices
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Values = new(Start);

    /// <summary>The connection string of the PostgreSQL server's <c>postgres</c> database.</summary>
    public static string Postgres => Values.Value["OVERLAP_TEST_POSTGRES"];

    /// <summary>Shard 1's and shard 2's HTTP addresses.</summary>
    public static IReadOnlyList<string> Shards =>
        [Values.Value["OVERLAP_TEST_CLICKHOUSE"], Values.Value["OVERLAP_TEST_CLICKHOUSE_SHARD2"]];

    /// <summary>The ClickHouse cluster's name.</summary>
    public static string Cluster => Values.Value["OVERLAP_TEST_CLICKHOUSE_CLUSTER"];

    /// <summary>One statement on the PostgreSQL server's <c>postgres</c> database.</summary>
    public static void PostgresAdmin(string sql)
    {
        using var connection = new NpgsqlConnection(Postgres + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="sql"/> on shard 1 over ClickHouse's HTTP interface and returns the answer's text.</summary>
    public static async Task<string> ClickHouseAsync(string sql)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.PostAsync(Shards[0], new StringContent(sql));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ClickHouse refused '{sql}': {text}");
        return text;
    }

    private static Dictionary<string, string> Start()
    {
        string[] keys =
        [
            "OVERLAP_TEST_POSTGRES",
            "OVERLAP_TEST_CLICKHOUSE",
            "OVERLAP_TEST_CLICKHOUSE_SHARD2",
            "OVERLAP_TEST_CLICKHOUSE_CLUSTER",
        ];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (Environment.GetEnvironmentVariable(key) is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }
        foreach (var service in new[] { "postgres", "clickhouse" })
        {
            if (service == "postgres" ? values.ContainsKey(keys[0]) : keys[1..].All(values.ContainsKey))
            {
                continue;
            }
            foreach (var (key, value) in ServiceScript.Start(service, stopWithThisProcess: true).Values)
            {
                values[key] = value;
            }
        }
        return values;
    }
}
