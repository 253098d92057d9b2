using System.Net;
using System.Text;
using System.Text.Json;
using Overlap.Server.Tests.Dashboard;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// A stored contract this server cannot read (a newer server wrote it, or a hand edit) never stops the server: the
/// feature keeps the newest version it reads, or, with none, its events are refused saying why, while every other
/// feature runs; the pages say which version is judged by and what to do.
/// </summary>
public sealed class UnreadableContractTests
{
    private const string Nonsense = "task: nonsense\n";

    [Fact]
    public async Task AServerWithUnreadableStoredContracts_Starts_KeepsTheNewestItReads_AndRefusesOnlyTheUnreadable()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-unreadable-").FullName;
        var fraud = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"));
        // Stopped keeping its data (disposing it would delete the folder).
        var first = await RunningServer.StartAsync(folder);
        {
            using var admin = first.Client(KeyRole.Admin);
            using var put = await admin.PutAsync("/v1/features/payments-fraud/contract", new StringContent(fraud));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            // Stored past the save path, as a newer server or a hand edit would leave them.
            var contracts = first.Store<IContractStore>();
            var now = DateTimeOffset.UnixEpoch;
            await contracts.PutContractAsync("payments-fraud", fraud + Nonsense, "newer server", now);
            await contracts.PutContractAsync("a-broken", "feature: a-broken\n" + Nonsense, "newer server", now);
            await first.StopKeepingDataAsync();
        }

        await using var server = await RunningServer.StartAsync(folder);
        using var client = server.Client(KeyRole.Admin);
        using var ingest = server.Client(KeyRole.Ingest);
        using var body = new StringContent(
            """
            {"type":"prediction","id":"p1","feature":"payments-fraud","time":"2026-11-23T10:00:00Z","score":0.4,"inputs":{"amount":12.5}}
            {"type":"prediction","id":"b1","feature":"a-broken","time":"2026-11-23T10:00:00Z","score":0.4}
            """,
            Encoding.UTF8,
            "application/x-ndjson"
        );
        using var sent = await ingest.PostAsync("/v1/events", body);
        var text = await sent.Content.ReadAsStringAsync();
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, text);
        using var answer = JsonDocument.Parse(text);
        var rejected = Assert.Single(answer.RootElement.GetProperty("rejected").EnumerateArray());
        Assert.Equal(1, rejected.GetProperty("index").GetInt32());
        var reason = rejected.GetProperty("error").GetString()!;
        Assert.StartsWith(
            "the contract of 'a-broken' (version 1) cannot be read by this server (",
            reason,
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            "); an admin must put a contract it reads: PUT /v1/features/a-broken/contract",
            reason,
            StringComparison.Ordinal
        );
        Assert.Equal(new EventCounts(1, 0, 0, 0, 0), await server.CountAsync("payments-fraud"));

        using var browser = new Browser(server.Address);
        await browser.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = server.Key(KeyRole.Admin) }
        );
        var (status, page) = await browser.PageAsync("/features/payments-fraud/contract");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(
            "Version 2 of payments-fraud&#x27;s contract cannot be read by this server: ",
            page,
            StringComparison.Ordinal
        );
        Assert.Contains("The server judges by version 1, the newest it reads", page, StringComparison.Ordinal);
        (status, page) = await browser.PageAsync("/features/a-broken");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(
            "so the feature&#x27;s events are refused until an admin saves",
            page,
            StringComparison.Ordinal
        );

        // A contract it reads, saved over the unreadable one, is judged by at once.
        using var fixedPut = await client.PutAsync(
            "/v1/features/a-broken/contract",
            new StringContent(fraud.Replace("feature: payments-fraud", "feature: a-broken", StringComparison.Ordinal))
        );
        Assert.Equal(HttpStatusCode.Created, fixedPut.StatusCode);
        (_, page) = await browser.PageAsync("/features/a-broken/contract");
        Assert.DoesNotContain("data-testid=\"unreadable\"", page, StringComparison.Ordinal);
    }
}
