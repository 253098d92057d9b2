using System.Net;
using System.Text.Json;
using Overlap.Core.Privacy;
using Overlap.Storage;

namespace Overlap.Server.Tests.Privacy;

/// <summary>
/// <c>GET</c> and <c>DELETE /v1/subjects/{id}</c> on a real server over the embedded store: what is held about a person,
/// the receipt of its erasure, and no byte of its hashed id left in the data folder (store and ingest log) afterwards.
/// </summary>
public sealed class SubjectErasureTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        foreach (
            var (feature, yaml) in new[]
            {
                ("spam-filter", PrivacyAtTheDoorTests.SpamContract),
                ("helpdesk", PrivacyAtTheDoorTests.HelpdeskContract),
            }
        )
        {
            using var put = await admin.PutAsync($"/v1/features/{feature}/contract", new StringContent(yaml));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        await PrivacyAtTheDoorTests.SendAsync(_server, PrivacyAtTheDoorTests.Events(Day));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static (long, long, long, long, long) Counts(JsonElement r) =>
        (
            r.GetProperty("predictions").GetInt64(),
            r.GetProperty("outcomes").GetInt64(),
            r.GetProperty("feedback").GetInt64(),
            r.GetProperty("business").GetInt64(),
            r.GetProperty("review_items").GetInt64()
        );

    [Fact]
    public async Task Erase_RemovesEveryEventOfTheSubject_FromStoreAndLog_AndAnswersWithAReceipt()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var key = new PrivacyKey(
            Convert.FromBase64String(File.ReadAllText(Path.Combine(_server.Folder, "privacy.key")))
        );
        var ana = key.Hash("user-ana-42");

        var held = await JsonAsync(await admin.GetAsync("/v1/subjects/user-ana-42"));
        Assert.Equal((3L, 1L, 1L, 0L, 0L), Counts(held));
        Assert.Equal((ana, false), (held.GetProperty("subject").GetString(), held.GetProperty("erased").GetBoolean()));
        Assert.Equal(
            ["helpdesk/c1", "spam-filter/m1", "spam-filter/m2"],
            held.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("feature")}/{i.GetProperty("id")}")
        );
        Assert.Equal(
            "Held: 3 predictions of helpdesk, spam-filter, with 1 outcome, 1 feedback event, 0 business results and 0 review items.",
            held.GetProperty("statement").GetString()
        );
        // The id is matched only through its hash: another person's lookup finds nothing.
        Assert.Equal((0L, 0L, 0L, 0L, 0L), Counts(await JsonAsync(await admin.GetAsync("/v1/subjects/user-nobody"))));

        // Read before the erasure, so a stored window report exists to be computed again.
        using var viewer = _server.Client(KeyRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/v1/subjects/user-ana-42")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/v1/subjects/user-ana-42")).StatusCode);
        Assert.NotEmpty(PrivacyAtTheDoorTests.Holding(PrivacyAtTheDoorTests.Files(_server.Folder), ana));

        var receipt = await JsonAsync(await admin.DeleteAsync("/v1/subjects/user-ana-42"));
        Assert.Equal((3L, 1L, 1L, 0L, 0L), Counts(receipt));
        Assert.True(receipt.GetProperty("erased").GetBoolean());
        Assert.Equal("Admin tester", receipt.GetProperty("by").GetString());
        Assert.StartsWith(
            "Erased: 3 predictions of helpdesk, spam-filter, with 1 outcome, 1 feedback event, 0 business results and 0 review items.",
            receipt.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );

        // Only the other person's prediction is left; a second erasure finds nothing.
        Assert.Equal(new EventCounts(1, 0, 0, 0, 0), await _server.CountAsync("spam-filter"));
        Assert.Equal(new EventCounts(0, 0, 0, 0, 0), await _server.CountAsync("helpdesk"));
        var again = await JsonAsync(await admin.DeleteAsync("/v1/subjects/user-ana-42"));
        Assert.Equal((0L, 0L, 0L, 0L, 0L), Counts(again));
        Assert.Equal(
            "Nothing was held about this subject, so nothing was erased.",
            again.GetProperty("statement").GetString()
        );

        // No byte of the erased hash is left in the ingest log or DuckDB's WAL. (DuckDB's file itself may keep a deleted
        // row's bytes in a block until the block is written again; docs/privacy.md says so. No read reaches them.)
        var files = PrivacyAtTheDoorTests.Files(_server.Folder);
        Assert.Empty(PrivacyAtTheDoorTests.Holding(files.Where(f => f.File != "overlap.duckdb"), ana));
        Assert.Empty(await _server.Store<IEventReader>().ReadEventsAsync("helpdesk", Day, Day.AddDays(1)));
    }
}
