using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Privacy;
using Overlap.Server.Tests.Privacy;
using Overlap.Storage;

namespace Overlap.Server.Tests.Audit;

/// <summary>
/// The audit log on a real server: who read, exported, changed or deleted what, recorded as the API answered, a subject
/// named only by its hashed id, ingest and requests nobody signed in for left out, and <c>GET /v1/audit</c> for admins only,
/// a page at a time.
/// </summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    // The server's clock stands still at noon, so every entry's time is known.
    private static readonly DateTimeOffset Noon = Day.AddDays(1).AddHours(12);

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(configure: o => o with { Time = new FakeTimeProvider(Noon) });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    private static string Line(JsonElement e) =>
        string.Join(
            " | ",
            e.GetProperty("actor").GetString(),
            e.GetProperty("role").GetString(),
            e.GetProperty("action").GetString(),
            e.GetProperty("target").GetString(),
            e.TryGetProperty("feature", out var f) ? f.GetString() : "-",
            e.GetProperty("status").GetInt32(),
            e.TryGetProperty("detail", out var d) ? d.GetString()![..Math.Min(20, d.GetString()!.Length)] : "-"
        );

    [Fact]
    public async Task Requests_AreRecordedAsAnswered_SubjectsByTheirHash_AndAdminsReadThemNewestFirst()
    {
        using var admin = _server.Client(KeyRole.Admin);
        using var viewer = _server.Client(KeyRole.Viewer);
        using var reviewer = _server.Client(KeyRole.Reviewer);
        using var nobody = _server.Client(null);
        using (
            var put = await admin.PutAsync(
                "/v1/features/spam-filter/contract",
                new StringContent(PrivacyAtTheDoorTests.SpamContract)
            )
        )
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        // Ingest is the product's traffic, not a person's action: never recorded.
        await PrivacyAtTheDoorTests.SendAsync(_server, PrivacyAtTheDoorTests.Events(Day).Split('\n')[0]);
        await JsonAsync(
            await viewer.GetAsync("/v1/features/spam-filter/metrics?from=2026-11-23&to=2026-11-24"),
            HttpStatusCode.OK
        );
        using (var export = await viewer.GetAsync("/v1/features/spam-filter/export?from=2026-11-23&to=2026-11-24"))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        }
        await JsonAsync(await reviewer.GetAsync("/v1/features/spam-filter/review"), HttpStatusCode.OK);
        // A role refused is recorded: who tried to erase whom.
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/v1/subjects/user-ana-42")).StatusCode);
        // Nobody signed in: not recorded (it did nothing, and would let anyone fill the log).
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.DeleteAsync("/v1/subjects/user-ana-42")).StatusCode);
        var held = await JsonAsync(await admin.GetAsync("/v1/subjects/user-ana-42"), HttpStatusCode.OK);
        var receipt = await JsonAsync(await admin.DeleteAsync("/v1/subjects/user-ana-42"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/v1/admin/keys/no-such-key")).StatusCode);

        // Named by the reference the receipt gives, neither by the id nor by the hash the store keys the events by.
        var key = new PrivacyKey(
            Convert.FromBase64String(File.ReadAllText(Path.Combine(_server.Folder, "privacy.key")))
        );
        var ana = $"subject {receipt.GetProperty("audit_ref").GetString()}";
        Assert.Matches("^subject [0-9a-f]{16}$", ana);
        Assert.Equal(receipt.GetProperty("audit_ref").GetString(), held.GetProperty("audit_ref").GetString());
        var page = await JsonAsync(await admin.GetAsync("/v1/audit"), HttpStatusCode.OK);
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(
            [
                "key Admin tester | admin | delete | DELETE /v1/admin/keys/no-such-key | - | 404 | -",
                $"key Admin tester | admin | delete | {ana} | - | 200 | Erased: 1 prediction",
                $"key Admin tester | admin | read | {ana} | - | 200 | -",
                $"key Viewer tester | viewer | delete | {ana} | - | 403 | -",
                "key Reviewer tester | reviewer | read | GET /v1/features/spam-filter/review | spam-filter | 200 | -",
                "key Viewer tester | viewer | export | GET /v1/features/spam-filter/export?from=2026-11-23&to=2026-11-24 | spam-filter | 200 | -",
                "key Admin tester | admin | change | PUT /v1/features/spam-filter/contract | spam-filter | 201 | saved as version 1",
            ],
            entries.Select(Line)
        );
        Assert.Equal(receipt.GetProperty("statement").GetString(), entries[1].GetProperty("detail").GetString());
        Assert.All(entries, e => Assert.Equal(Noon, e.GetProperty("at").GetDateTimeOffset()));
        Assert.False(page.TryGetProperty("next", out _));
        Assert.DoesNotContain("user-ana-42", page.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.Hash("user-ana-42"), page.GetRawText(), StringComparison.Ordinal);

        // Reading the log is itself recorded; pages follow "next" with the same filters.
        var first = await JsonAsync(
            await admin.GetAsync("/v1/audit?limit=2&actor=KEY%20ADMIN%20TESTER"),
            HttpStatusCode.OK
        );
        Assert.Equal(
            ["GET /v1/audit", "DELETE /v1/admin/keys/no-such-key"],
            first.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString())
        );
        var next = first.GetProperty("next").GetString()!;
        Assert.StartsWith("/v1/audit?before=", next, StringComparison.Ordinal);
        var second = await JsonAsync(await admin.GetAsync(next), HttpStatusCode.OK);
        Assert.Equal(
            [$"{ana}", $"{ana}"],
            second.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString())
        );
        var deletes = await JsonAsync(
            await admin.GetAsync("/v1/audit?action=delete&feature=&limit=10"),
            HttpStatusCode.OK
        );
        Assert.Equal(3, deletes.GetProperty("entries").GetArrayLength());
        var exports = await JsonAsync(
            await admin.GetAsync("/v1/audit?feature=spam-filter&action=export"),
            HttpStatusCode.OK
        );
        Assert.Equal("key Viewer tester", exports.GetProperty("entries")[0].GetProperty("actor").GetString());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("before=-3")]
    [InlineData("action=erase")]
    [InlineData("from=yesterday")]
    [InlineData("from=2026-11-24&to=2026-11-23")]
    public async Task ABadQuery_Answers400_SayingWhatToSend(string query)
    {
        using var admin = _server.Client(KeyRole.Admin);
        var problem = await JsonAsync(await admin.GetAsync($"/v1/audit?{query}"), HttpStatusCode.BadRequest);
        Assert.Equal("The audit query is not valid", problem.GetProperty("title").GetString());
        Assert.Contains(
            "limit a whole number from 1 to 1000",
            problem.GetProperty("detail").GetString(),
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData(KeyRole.Viewer)]
    [InlineData(KeyRole.Reviewer)]
    [InlineData(KeyRole.Ingest)]
    public async Task OnlyAdminsReadTheLog(KeyRole role)
    {
        using var client = _server.Client(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/audit")).StatusCode);
        using var nobody = _server.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync("/v1/audit")).StatusCode);
        // The refusal is in the log for an admin to see.
        var entries = (await _server.Store<IAuditStore>().ReadAuditAsync(new AuditQuery())).ToList();
        Assert.Equal(
            ($"key {role} tester", "read", "GET /v1/audit", 403),
            (entries[0].Actor, entries[0].Action, entries[0].Target, entries[0].Status)
        );
        Assert.Single(entries);
    }

    [Fact]
    public async Task TheAuditPage_ListsTheEntriesForAdmins_Filtered_AndRecordsItsOwnOpening()
    {
        using var api = _server.Client(KeyRole.Admin);
        using (
            var put = await api.PutAsync(
                "/v1/features/spam-filter/contract",
                new StringContent(PrivacyAtTheDoorTests.SpamContract)
            )
        )
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/v1/admin/users/nobody")).StatusCode);
        using var admin = new Overlap.Server.Tests.Dashboard.Browser(_server.Address);
        await admin.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = _server.Key(KeyRole.Admin) }
        );
        var (status, home) = await admin.PageAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"nav-audit\"", home, StringComparison.Ordinal);

        (status, var page) = await admin.PageAsync("/admin/audit?action=delete");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = System
            .Text.RegularExpressions.Regex.Matches(
                page,
                "<tr data-id=\"[0-9]+\">(.*?)</tr>",
                System.Text.RegularExpressions.RegexOptions.Singleline
            )
            .Select(row =>
                string.Join(
                    "|",
                    System
                        .Text.RegularExpressions.Regex.Matches(row.Groups[1].Value, "<td>(.*?)</td>")
                        .Select(td => System.Text.RegularExpressions.Regex.Replace(td.Groups[1].Value, "<[^>]+>", ""))
                )
            )
            .ToList();
        Assert.Equal(
            "2026-11-24 12:00:00|key Admin tester|admin|delete|DELETE /v1/admin/users/nobody||404|",
            Assert.Single(rows)
        );
        (status, page) = await admin.PageAsync("/admin/audit");
        Assert.Contains("opened the audit log", page, StringComparison.Ordinal);
        Assert.Contains("PUT /v1/features/spam-filter/contract", page, StringComparison.Ordinal);
        Assert.DoesNotContain("audit-older", page, StringComparison.Ordinal);
        (status, page) = await admin.PageAsync("/admin/audit?action=erase");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Choose an action among read, export, change, delete", page, StringComparison.Ordinal);
        // A page link edited by hand says what is wrong with it, not with the action.
        (status, page) = await admin.PageAsync("/admin/audit?before=last");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(
            "before=last is not an entry of the audit log: page with the link below the table, or start again from the newest entries.",
            page,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("Choose an action", page, StringComparison.Ordinal);

        using var viewer = new Overlap.Server.Tests.Dashboard.Browser(_server.Address);
        await viewer.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = _server.Key(KeyRole.Viewer) }
        );
        Assert.DoesNotContain("nav-audit", (await viewer.PageAsync("/")).Html, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await viewer.GetAsync("/admin/audit")).StatusCode);
    }
}
