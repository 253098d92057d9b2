using Overlap.Server.Auth;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap keys create</c> through the real entry point, on a real store.</summary>
public sealed class KeysCommandTests
{
    [Fact]
    public async Task Create_PrintsTheKeyAloneOnStdout_AndStoresOnlyItsHash()
    {
        using var folder = new TempFolder();
        var (code, output, err) = await CliRun.RunAsync(
            "keys",
            "create",
            "--data",
            folder.Path,
            "--role",
            "reviewer",
            "--name",
            "ana"
        );
        Assert.Equal(0, code);
        var key = output.TrimEnd('\n');
        Assert.Matches("^ovl_[A-Za-z0-9_-]{43}$", key);
        await using var opened = new TestStore(folder.Path);
        var store = opened.Get<IUserStore>();
        var record = await store.FindKeyAsync(ApiKeys.Hash(key));
        Assert.Equal((KeyRole.Reviewer, "ana", null), (record!.Role, record.Name, record.ExpiresAt));
        Assert.Equal($"Created a reviewer key (id {record.Id}). It is shown this once; keep it secret.\n", err);
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

    [Fact]
    public async Task CreateWithExpiry_ListShowsIdNameRoleAndDates_NeverTheKey()
    {
        using var folder = new TempFolder();
        var (code, output, err) = await CliRun.RunAsync(
            "keys",
            "create",
            "--data",
            folder.Path,
            "--role",
            "ingest",
            "--name",
            "checkout",
            "--expires",
            "2099-01-31"
        );
        Assert.Equal(0, code);
        var key = output.TrimEnd('\n');
        Assert.Contains(", expiring 2099-01-31 00:00 UTC)", err, StringComparison.Ordinal);
        (code, output, _) = await CliRun.RunAsync("keys", "list", "--data", folder.Path);
        Assert.Equal(0, code);
        Assert.Contains("checkout", output, StringComparison.Ordinal);
        Assert.Contains("ingest", output, StringComparison.Ordinal);
        Assert.Contains("2099-01-31 00:00 UTC", output, StringComparison.Ordinal);
        Assert.Contains("active", output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeys.Hash(key), output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("2001-01-01")]
    [InlineData("-5d")]
    public async Task Create_AnExpiryThatIsNotADurationOrAFutureDate_IsAUsageError(string expires)
    {
        using var folder = new TempFolder();
        var (code, output, err) = await CliRun.RunAsync(
            "keys",
            "create",
            "--data",
            folder.Path,
            "--role",
            "viewer",
            "--expires",
            expires
        );
        Assert.Equal(64, code);
        Assert.Empty(output);
        CliRun.AssertOneLineError(err, "--expires", expires);
    }

    [Fact]
    public async Task Revoke_TheKeyStopsWorking_AndListSaysSo_AndASecondRevokeSaysItWasRevoked()
    {
        using var folder = new TempFolder();
        var (_, output, _) = await CliRun.RunAsync("keys", "create", "--data", folder.Path, "--role", "viewer");
        string id;
        await using (var opened = new TestStore(folder.Path))
        {
            var store = opened.Get<IUserStore>();
            id = (await store.FindKeyAsync(ApiKeys.Hash(output.TrimEnd('\n'))))!.Id;
        }
        var (code, _, err) = await CliRun.RunAsync("keys", "revoke", id, "--data", folder.Path);
        Assert.Equal(0, code);
        Assert.Contains($"Revoked key {id}", err, StringComparison.Ordinal);
        await using (var opened = new TestStore(folder.Path))
        {
            var store = opened.Get<IUserStore>();
            var record = await store.FindKeyAsync(ApiKeys.Hash(output.TrimEnd('\n')));
            Assert.NotNull(record!.RevokedAt);
            Assert.StartsWith(
                "this key was revoked on ",
                ApiKeys.Refusal(record, DateTimeOffset.MaxValue),
                StringComparison.Ordinal
            );
        }
        (code, var list, _) = await CliRun.RunAsync("keys", "list", "--data", folder.Path);
        Assert.Contains("was revoked on", list, StringComparison.Ordinal);
        (code, _, err) = await CliRun.RunAsync("keys", "revoke", id, "--data", folder.Path);
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "was revoked already");
        (code, _, err) = await CliRun.RunAsync("keys", "revoke", "nope", "--data", folder.Path);
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "there is no key 'nope'", "overlap keys list");
        // The store's audit log has what the command line did, and not what it refused.
        await using (var opened = new TestStore(folder.Path))
        {
            var me = $"command line ({Environment.UserName})";
            Assert.Equal(
                [
                    $"{me} | delete | revoked key {id} | 204",
                    $"{me} | change | created key 'viewer key' (viewer), id {id} | 201",
                ],
                (await opened.Get<IAuditStore>().ReadAuditAsync(new AuditQuery())).Select(e =>
                    $"{e.Actor} | {e.Action} | {e.Target} | {e.Status}"
                )
            );
        }
    }

    [Fact]
    public async Task KeysAndUsers_WhileTheServerRuns_PointAtTheAdminApiAndTheAccessPage()
    {
        using var folder = new TempFolder();
        var port = Overlap.Tests.Shared.ServeProcess.FreePort();
        using var server = Overlap.Tests.Shared.ServeProcess.Start([
            "serve",
            "--data",
            folder.Path,
            "--urls",
            $"http://127.0.0.1:{port}",
        ]);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Overlap.Tests.Shared.ServeProcess.WaitUntilHealthyAsync(client, server);
            foreach (
                var args in new[]
                {
                    new[] { "keys", "list" },
                    ["keys", "create", "--role", "viewer"],
                    ["users", "list"],
                }
            )
            {
                var (code, _, err) = await CliRun.RunAsync([.. args, "--data", folder.Path]);
                Assert.Equal(69, code);
                CliRun.AssertOneLineError(
                    err,
                    "in use by a running 'overlap serve'",
                    "/v1/admin/keys",
                    "/admin/access"
                );
            }
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }
}
