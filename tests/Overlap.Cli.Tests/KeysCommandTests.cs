using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap keys create</c> through the real entry point, on a real store.</summary>
public sealed class KeysCommandTests
{
    [Fact]
    public async Task Create_PrintsTheKeyAloneOnStdout_AndStoresOnlyItsHash()
    {
        using var folder = new TempFolder();
        var (code, output, err) = await CliRun.RunAsync("keys", "create", "--data", folder.Path, "--role", "reviewer", "--name", "ana");
        Assert.Equal(0, code);
        var key = output.TrimEnd('\n');
        Assert.Matches("^ovl_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal("Created a reviewer key. It is shown this once; keep it secret.\n", err);
        await using var store = await DuckDbEventStore.OpenAsync(folder.Path);
        var record = await store.FindKeyAsync(ApiKeys.Hash(key));
        Assert.Equal((KeyRole.Reviewer, "ana"), (record!.Role, record.Name));
        Assert.Null(await store.FindKeyAsync(key));
    }

    [Fact]
    public async Task Create_UnknownRole_IsAUsageError()
    {
        using var folder = new TempFolder();
        var (code, output, err) = await CliRun.RunAsync("keys", "create", "--data", folder.Path, "--role", "owner");
        Assert.Equal(64, code);
        Assert.Empty(output);
        Assert.Contains("'owner'", err, StringComparison.Ordinal);
    }
}
