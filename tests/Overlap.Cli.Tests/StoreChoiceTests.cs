using System.Net;
using System.Net.Sockets;
using Overlap.Cli.Commands;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>
/// Which store <c>serve</c>, <c>keys</c> and <c>users</c> open: <c>--data</c>, or <c>--postgres</c> with
/// <c>--clickhouse</c>, each from the command line, else the environment, else the <c>--settings</c> file.
/// </summary>
public sealed class StoreChoiceTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(
        IReadOnlyDictionary<string, string> environment,
        params string[] args
    )
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr, new StringReader(""))
        {
            Environment = name => environment.GetValueOrDefault(name),
        };
        var code = await OverlapCli.RunAsync(args, io, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A loopback port nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task PostgresWithoutClickHouse_IsAUsageError_NamingTheMissingOne()
    {
        var (code, output, err) = await RunAsync(
            new Dictionary<string, string>(),
            "keys",
            "create",
            "--role",
            "admin",
            "--postgres",
            "Host=127.0.0.1;Username=overlap"
        );
        Assert.Equal(64, code);
        Assert.Empty(output);
        CliRun.AssertOneLineError(err, "--postgres needs --clickhouse (or $OVERLAP_CLICKHOUSE)");
    }

    [Fact]
    public async Task ClickHouseFromTheEnvironmentAlone_IsAUsageError_NamingPostgres()
    {
        var (code, _, err) = await RunAsync(
            new Dictionary<string, string> { [StoreChoice.ClickHouseVariable] = "http://127.0.0.1:8123" },
            "users",
            "list"
        );
        Assert.Equal(64, code);
        CliRun.AssertOneLineError(err, "--clickhouse needs --postgres (or $OVERLAP_POSTGRES)");
    }

    [Fact]
    public async Task ClusterWithoutServers_IsAUsageError()
    {
        var (code, _, err) = await RunAsync(new Dictionary<string, string>(), "serve", "--clickhouse-cluster", "prod");
        Assert.Equal(64, code);
        CliRun.AssertOneLineError(err, "--clickhouse-cluster needs --clickhouse and --postgres");
    }

    [Fact]
    public async Task SettingsFile_DataFolder_IsUsed_AndTheCommandLineWinsOverIt()
    {
        using var folder = new TempFolder();
        var fromFile = Path.Combine(folder.Path, "from-file");
        var fromLine = Path.Combine(folder.Path, "from-line");
        var settings = Path.Combine(folder.Path, "overlap-settings.yaml");
        await File.WriteAllTextAsync(settings, $"# where this instance keeps its data\ndata: '{fromFile}'\n");

        var first = await RunAsync(
            new Dictionary<string, string>(),
            "keys",
            "create",
            "--role",
            "ingest",
            "--settings",
            settings
        );
        Assert.Equal(0, first.Code);
        var second = await RunAsync(
            new Dictionary<string, string> { [StoreChoice.SettingsVariable] = settings },
            "keys",
            "create",
            "--role",
            "viewer",
            "--data",
            fromLine
        );
        Assert.Equal(0, second.Code);

        await using var file = new TestStore(fromFile);
        await using var line = new TestStore(fromLine);
        var inFile = await file.Get<IUserStore>().ListKeysAsync();
        var inLine = await line.Get<IUserStore>().ListKeysAsync();
        Assert.Equal([KeyRole.Ingest], inFile.Select(k => k.Role));
        Assert.Equal([KeyRole.Viewer], inLine.Select(k => k.Role));
    }

    [Fact]
    public async Task SettingsFile_UnknownKey_IsAUsageError_WithItsLine()
    {
        using var folder = new TempFolder();
        var settings = Path.Combine(folder.Path, "settings.yaml");
        await File.WriteAllTextAsync(settings, "data: here\npostgress: Host=db\n");
        var (code, _, err) = await RunAsync(new Dictionary<string, string>(), "users", "list", "--settings", settings);
        Assert.Equal(64, code);
        CliRun.AssertOneLineError(
            err,
            "has 'postgress' at line 2, which is not a setting; the settings are data, postgres, clickhouse, clickhouse_cluster"
        );
    }

    [Fact]
    public async Task SettingsFile_Missing_ExitsNoInput()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "nope.yaml");
        var (code, _, err) = await RunAsync(new Dictionary<string, string>(), "keys", "list", "--settings", missing);
        Assert.Equal(66, code);
        CliRun.AssertOneLineError(err, "does not exist");
    }

    [Fact]
    public async Task EnvironmentWinsOverTheSettingsFile_AndAnUnreachablePostgres_IsUnavailableInOneLine()
    {
        using var folder = new TempFolder();
        var (filePort, envPort) = (ClosedPort(), ClosedPort());
        var settings = Path.Combine(folder.Path, "settings.yaml");
        await File.WriteAllTextAsync(
            settings,
            $"postgres: 'Host=127.0.0.1;Port={filePort};Username=overlap;Database=overlap;Timeout=3'\n"
                + $"clickhouse: http://127.0.0.1:{filePort}\n"
        );
        var (code, output, err) = await RunAsync(
            new Dictionary<string, string>
            {
                [StoreChoice.SettingsVariable] = settings,
                [StoreChoice.PostgresVariable] =
                    $"Host=127.0.0.1;Port={envPort};Username=overlap;Password=secret;Database=overlap;Timeout=3",
            },
            "keys",
            "create",
            "--role",
            "admin",
            "--data",
            folder.Path
        );
        Assert.Equal(69, code);
        Assert.Empty(output);
        CliRun.AssertOneLineError(err, "PostgreSQL", $"127.0.0.1:{envPort}");
        Assert.DoesNotContain($":{filePort}", err, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", err, StringComparison.Ordinal);
    }
}
