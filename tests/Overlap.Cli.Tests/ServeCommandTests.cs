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
        var (code, _, err) = await CliRun.RunAsync("serve", "--data", Path.Combine(file, "data"), "--urls", "http://127.0.0.1:0");
        Assert.Equal(69, code);
        CliRun.AssertOneLineError(err, "cannot be created", "--data");
    }
}
