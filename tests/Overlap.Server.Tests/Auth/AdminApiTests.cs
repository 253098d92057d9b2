using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Server.Tests.Dashboard;
using Overlap.Storage;

namespace Overlap.Server.Tests.Auth;

/// <summary>The admin API for keys and users, on a running server with a fake clock.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(configure: o => o with { Time = _clock });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private HttpClient WithKey(string key)
    {
        var client = _server.Client(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task Keys_AreCreatedListedAndRevoked_WhileTheServerRuns_ARevokedKeyFailingAtOnce()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var created = await admin.PostAsync(
            "/v1/admin/keys",
            Json("""{"role": "viewer", "name": "wall screen", "expires": "30d"}""")
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Body(created);
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("details").GetProperty("id").GetString()!;
        Assert.Equal("2026-12-23T09:00:00+00:00", body.GetProperty("details").GetProperty("expires_at").GetString());
        using var viewer = WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/features")).StatusCode);

        // The last use is written off the request path; it shows within moments.
        var listed = (await Body(await admin.GetAsync("/v1/admin/keys")))
            .EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == id);
        for (var i = 0; i < 50 && !listed.TryGetProperty("last_used_at", out _); i++)
        {
            await Task.Delay(100);
            listed = (await Body(await admin.GetAsync("/v1/admin/keys")))
                .EnumerateArray()
                .Single(k => k.GetProperty("id").GetString() == id);
        }
        Assert.Equal("wall screen", listed.GetProperty("name").GetString());
        Assert.Equal("viewer", listed.GetProperty("role").GetString());
        Assert.Equal("2026-11-23T09:00:00+00:00", listed.GetProperty("last_used_at").GetString());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.DoesNotContain(key, await admin.GetStringAsync("/v1/admin/keys"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/admin/keys/{id}")).StatusCode);
        var refused = await viewer.GetAsync("/v1/features");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith(
            "This key was revoked on 2026-11-23 09:00 UTC",
            (await Body(refused)).GetProperty("detail").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/admin/keys/{id}")).StatusCode);
    }

    [Fact]
    public async Task AKeyPastItsExpiry_IsRefusedWithTheReason_AndItsDashboardSessionEnds()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var key = (await Body(await admin.PostAsync("/v1/admin/keys", Json("""{"role": "viewer", "expires": "1h"}"""))))
            .GetProperty("key")
            .GetString()!;
        using var browser = new Browser(_server.Address);
        await browser.SubmitAsync("/signin", "key-form", new Dictionary<string, string> { ["Form.Key"] = key });
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        using var viewer = WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/features")).StatusCode);
        _clock.Advance(TimeSpan.FromHours(1));
        var refused = await viewer.GetAsync("/v1/features");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith(
            "This key expired on 2026-11-23 10:00 UTC",
            (await Body(refused)).GetProperty("detail").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task RevokingAKey_EndsTheDashboardSessionSignedInWithIt_AtOnce()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var body = await Body(await admin.PostAsync("/v1/admin/keys", Json("""{"role": "reviewer"}""")));
        using var browser = new Browser(_server.Address);
        await browser.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = body.GetProperty("key").GetString()! }
        );
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(
            HttpStatusCode.NoContent,
            (
                await admin.DeleteAsync($"/v1/admin/keys/{body.GetProperty("details").GetProperty("id").GetString()}")
            ).StatusCode
        );
        Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Users_AreAddedGivenPasswordsAndRemoved_WhileTheServerRuns_TheirSessionsEndingAtOnce()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var added = await admin.PostAsync("/v1/admin/users", Json("""{"name": "carl", "role": "reviewer"}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var password = (await Body(added)).GetProperty("password").GetString()!;
        Assert.Equal(22, password.Length);
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await admin.PostAsync("/v1/admin/users", Json("""{"name": "CARL", "role": "viewer"}"""))).StatusCode
        );
        var users = await Body(await admin.GetAsync("/v1/admin/users"));
        Assert.Equal(
            "reviewer",
            users
                .EnumerateArray()
                .Single(u => u.GetProperty("name").GetString() == "carl")
                .GetProperty("role")
                .GetString()
        );

        using var carl = new Browser(_server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(carl, "carl", password)).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await carl.GetAsync("/")).StatusCode);
        var reset = await admin.PostAsync(
            "/v1/admin/users/carl/password",
            Json("""{"password": "a long new passphrase here"}""")
        );
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False((await Body(reset)).TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.Found, (await carl.GetAsync("/")).StatusCode);

        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(carl, "carl", "a long new passphrase here")).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await carl.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/admin/users/carl")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await carl.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/v1/admin/users/carl")).StatusCode);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync("/v1/admin/users/carl/password", null)).StatusCode
        );
    }

    [Theory]
    [InlineData("/v1/admin/keys", """{"role": "owner"}""", "The role is not known")]
    [InlineData("/v1/admin/keys", """{"role": "1"}""", "The role is not known")]
    [InlineData("/v1/admin/keys", """{"role": "viewer", "expires": "yesterday"}""", "The expiry is not valid")]
    [InlineData("/v1/admin/keys", """{"role": [1]}""", "The key request is not valid")]
    [InlineData("/v1/admin/keys", "not json", "The key request is not valid")]
    [InlineData("/v1/admin/users", """{"name": "a b", "role": "viewer"}""", "The user name is not valid")]
    [InlineData("/v1/admin/users", """{"name": "dora", "role": "ingest"}""", "The role is not known")]
    [InlineData(
        "/v1/admin/users",
        """{"name": "dora", "role": "viewer", "password": "short"}""",
        "The password is too weak"
    )]
    public async Task BadRequests_Get400WithWhatIsWrong(string path, string body, string title)
    {
        using var admin = _server.Client(KeyRole.Admin);
        var response = await admin.PostAsync(path, Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, (await Body(response)).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData(KeyRole.Viewer)]
    [InlineData(KeyRole.Reviewer)]
    [InlineData(KeyRole.Ingest)]
    public async Task TheAdminApi_IsForAdminsOnly(KeyRole role)
    {
        using var client = _server.Client(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/admin/keys")).StatusCode);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await client.PostAsync("/v1/admin/users", Json("""{"name": "eve", "role": "admin"}"""))).StatusCode
        );
        Assert.Null(await _server.Store<IUserStore>().FindUserAsync("eve"));
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheAdminApi()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var paths = (await Body(await admin.GetAsync("/openapi/v1.json"))).GetProperty("paths");
        foreach (
            var path in new[]
            {
                "/v1/admin/keys",
                "/v1/admin/keys/{id}",
                "/v1/admin/users",
                "/v1/admin/users/{name}",
                "/v1/admin/users/{name}/password",
            }
        )
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        }
    }

    [Fact]
    public async Task TheAccessPage_CreatesAKeyShownOnce_AndRevokesIt_ForAdminsOnly()
    {
        using var admin = new Browser(_server.Address);
        await admin.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = _server.Key(KeyRole.Admin) }
        );
        var (status, home) = await admin.PageAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"nav-access\"", home, StringComparison.Ordinal);
        var created = WebUtility.HtmlDecode(
            await (
                await admin.SubmitAsync(
                    "/admin/access",
                    "create-key-form",
                    new Dictionary<string, string>
                    {
                        ["NewKey.Role"] = "ingest",
                        ["NewKey.Name"] = "<b>checkout</b>",
                        ["NewKey.Expires"] = "90d",
                    }
                )
            ).Content.ReadAsStringAsync()
        );
        var key = System
            .Text.RegularExpressions.Regex.Match(created, "<code>(ovl_[A-Za-z0-9_-]+)</code>")
            .Groups[1]
            .Value;
        using var ingest = WithKey(key);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await ingest.PostAsync("/v1/events", Json("[]"))).StatusCode);
        var record = (await _server.Store<IUserStore>().ListKeysAsync()).Single(k => k.Name == "<b>checkout</b>");
        Assert.Equal(KeyRole.Ingest, record.Role);
        var (_, page) = await admin.PageAsync("/admin/access");
        Assert.DoesNotContain(key, page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;checkout&lt;/b&gt;", page, StringComparison.Ordinal);
        var fields = Browser.HiddenFields(page, "keys-form");
        fields["Revoke.Id"] = record.Id;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/access", fields)).StatusCode);
        Assert.NotNull((await _server.Store<IUserStore>().ListKeysAsync()).Single(k => k.Id == record.Id).RevokedAt);
        // The page's forms are in the audit log with the status the API would have answered (the page answers 200).
        Assert.Equal(
            [
                $"key Admin tester | delete | revoked key {record.Id} | 204",
                "key Admin tester | change | created key '<b>checkout</b>' (ingest) | 201",
            ],
            (await _server.Store<IAuditStore>().ReadAuditAsync(new AuditQuery())).Select(e =>
                $"{e.Actor} | {e.Action} | {e.Target} | {e.Status}"
            )
        );

        using var viewer = new Browser(_server.Address);
        await viewer.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = _server.Key(KeyRole.Viewer) }
        );
        Assert.DoesNotContain("nav-access", (await viewer.PageAsync("/")).Html, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await viewer.GetAsync("/admin/access")).StatusCode);
    }
}
