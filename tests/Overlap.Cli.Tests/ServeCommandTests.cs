using System.Net;
using System.Net.Sockets;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap serve</c> refusing to start: one line, exit 69, never a stack trace.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task AddressInUse_SaysSoAndHowToPickAnother()
    {
        using var folder = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var (code, output, err) = await CliRun.RunAsync("serve", "--data", folder.Path, "--urls", url);
        Assert.Equal(69, code);
        Assert.Empty(output);
        CliRun.AssertOneLineError(err, $"{url} is in use by another program", "--urls");
    }

    [Fact]
    public async Task UnwritableDataFolder_SaysWhichAndWhatToDo()
    {
        using var folder = new TempFolder();
        var file = folder.Write("not-a-folder", "x");
        var (code, _, err) = await CliRun.RunAsync(
            "serve",
            "--data",
            Path.Combine(file, "data"),
            "--urls",
            "http://127.0.0.1:0"
        );
        Assert.Equal(69, code);
        CliRun.AssertOneLineError(err, "cannot be created", "--data");
    }

    [Fact]
    public async Task WebhookAllow_NeitherHostNorRange_IsAUsageError()
    {
        using var folder = new TempFolder();
        var (code, output, err) = await CliRun.RunAsync(
            "serve",
            "--data",
            folder.Path,
            "--urls",
            "http://127.0.0.1:0",
            "--webhook-allow",
            "10.0.0.0/8",
            "--webhook-allow",
            "10.0.0.0/99"
        );
        Assert.Equal(64, code);
        Assert.Empty(output);
        // A usage error: the one line saying what is wrong, then where help is.
        Assert.StartsWith(
            "error: --webhook-allow '10.0.0.0/99' is neither a host name (hooks.internal), an address (10.0.0.5) nor a range (10.0.0.0/8).",
            err,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DedupHorizon_NotADuration_IsAUsageError()
    {
        using var folder = new TempFolder();
        var (code, output, err) = await CliRun.RunAsync(
            "serve",
            "--data",
            folder.Path,
            "--urls",
            "http://127.0.0.1:0",
            "--dedup-horizon",
            "7"
        );
        Assert.Equal(64, code);
        Assert.Empty(output);
        Assert.StartsWith(
            "error: --dedup-horizon '7' is not a duration; write a positive number and a unit s, m, h, d or w, such as 7d",
            err,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DedupHorizon_WithTheServerBackend_IsAUsageError()
    {
        using var folder = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "serve",
            "--data",
            folder.Path,
            "--postgres",
            "Host=127.0.0.1;Port=1;Username=u;Database=d",
            "--clickhouse",
            "http://127.0.0.1:1",
            "--dedup-horizon",
            "14d"
        );
        Assert.Equal(64, code);
        CliRun.AssertOneLineError(err, "--dedup-horizon is for the embedded store in --data");
    }
}
