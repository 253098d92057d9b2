using System.Diagnostics;
using System.Net.Http.Headers;
using Npgsql;

namespace Overlap.Cluster.Tests;

/// <summary>
/// Two real <c>overlap serve</c> processes (A through ClickHouse shard 1, B through shard 2), each with its own data
/// folder (its ingest log), on one new PostgreSQL database and one new ClickHouse database on the two-shard cluster;
/// the databases and folders are dropped when disposed. An admin key is made with <c>overlap keys create</c> first.
/// </summary>
internal sealed class TwoInstances : IAsyncDisposable
{
    private readonly TempFolder _folders = new();
    private readonly Process?[] _servers = new Process?[2];
    private readonly int[] _ports = new int[2];

    private TwoInstances()
    {
        Database = "overlap_cluster_" + Guid.NewGuid().ToString("N")[..12];
        ClusterServices.PostgresAdmin($"CREATE DATABASE {Database}");
        Postgres = new NpgsqlConnectionStringBuilder(ClusterServices.Postgres) { Database = Database }.ConnectionString;
    }

    /// <summary>The name of both databases (PostgreSQL and ClickHouse).</summary>
    public string Database { get; }

    /// <summary>The PostgreSQL connection string both instances use.</summary>
    public string Postgres { get; }

    /// <summary>An admin key, made before the instances started.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>Makes the databases and the admin key, and starts both instances.</summary>
    public static async Task<TwoInstances> StartAsync()
    {
        var both = new TwoInstances();
        try
        {
            both.AdminKey = (await both.RunAsync(0, "keys", "create", "--role", "admin")).Trim();
            await Task.WhenAll(both.StartAsync(0), both.StartAsync(1));
            return both;
        }
        catch
        {
            await both.DisposeAsync();
            throw;
        }
    }

    /// <summary>Instance <paramref name="i"/>'s address.</summary>
    public Uri Address(int i) => new($"http://127.0.0.1:{_ports[i]}");

    /// <summary>A client of instance <paramref name="i"/> with <paramref name="key"/> (the admin key by default).</summary>
    public HttpClient Client(int i, string? key = null)
    {
        var client = new HttpClient { BaseAddress = Address(i), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? AdminKey);
        return client;
    }

    /// <summary>Instance <paramref name="i"/>'s data folder (its ingest log).</summary>
    public string Folder(int i) => Path.Combine(_folders.Path, i == 0 ? "a" : "b");

    /// <summary>The options that put instance <paramref name="i"/> on the shared stores.</summary>
    public IEnumerable<string> StoreArgs(int i) =>
        [
            "--data",
            Folder(i),
            "--postgres",
            Postgres,
            "--clickhouse",
            $"{ClusterServices.Shards[i].TrimEnd('/')}/?database={Database}",
            "--clickhouse-cluster",
            ClusterServices.Cluster,
        ];

    /// <summary>Runs <c>overlap ARGS</c> on instance <paramref name="i"/>'s stores; its standard output, failing on a non-zero exit.</summary>
    public async Task<string> RunAsync(int i, params string[] args)
    {
        using var process = ServeProcess.Start([.. args, .. StoreArgs(i)], drainOutput: false);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"overlap {string.Join(' ', args)} exited {process.ExitCode}: {output}");
        return output;
    }

    /// <summary>Starts instance <paramref name="i"/> (again: on the same data folder and port) and waits until it is healthy.</summary>
    public async Task StartAsync(int i)
    {
        if (_ports[i] == 0)
        {
            _ports[i] = ServeProcess.FreePort(); // started again, it listens where it did (behind a balancer)
        }
        _servers[i] = ServeProcess.Start(["serve", "--urls", Address(i).ToString().TrimEnd('/'), .. StoreArgs(i)]);
        using var client = Client(i);
        await ServeProcess.WaitUntilHealthyAsync(client, _servers[i]!);
    }

    /// <summary>Kills instance <paramref name="i"/> with SIGKILL and waits until it is gone.</summary>
    public async Task KillAsync(int i)
    {
        if (_servers[i] is { } server)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
            _servers[i] = null;
        }
    }

    /// <summary>Runs <paramref name="sql"/> (with <c>{db}</c> for the database) on the ClickHouse cluster through shard 1.</summary>
    public Task<string> ClickHouseAsync(string sql) => ClusterServices.ClickHouseAsync(sql.Replace("{db}", Database));

    public async ValueTask DisposeAsync()
    {
        await KillAsync(0);
        await KillAsync(1);
        ClusterServices.PostgresAdmin($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        await ClusterServices.ClickHouseAsync(
            $"DROP DATABASE IF EXISTS `{Database}` ON CLUSTER `{ClusterServices.Cluster}`"
        );
        _folders.Dispose();
    }
}
