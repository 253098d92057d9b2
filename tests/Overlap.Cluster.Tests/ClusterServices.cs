using System.Diagnostics;
using Npgsql;

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
            var script = RepositoryRoot.File($"scripts/services/{service}.sh");
            var folder = Directory.CreateTempSubdirectory($"overlap-{service}-").FullName;
            foreach (var line in Run(script, "start", folder).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = line.Trim().Split('=', 2);
                if (pair.Length == 2)
                {
                    values[pair[0]] = pair[1];
                }
            }
            StopWhenThisProcessEnds(script, folder);
        }
        return values;
    }

    /// <summary>Stops a service once this process is gone, however it ends (a watcher in a session of its own).</summary>
    private static void StopWhenThisProcessEnds(string script, string folder)
    {
        const string Watch = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            bash "$2" stop "$3"
            exec rm -rf "$3"
            """;
        var watcher = new ProcessStartInfo("setsid")
        {
            ArgumentList =
            {
                "-f",
                "bash",
                "-c",
                Watch,
                "overlap-cluster-watch",
                Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                script,
                folder,
            },
        };
        using var started = Process.Start(watcher)!;
        started.WaitForExit();
    }

    private static string Run(string script, string action, string folder)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script, action, folder },
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {action} failed ({process.ExitCode}): {errors.Result}");
        }
        return output;
    }
}
