using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Overlap.Server.Tests.Dashboard;

namespace Overlap.Cluster.Tests;

/// <summary>
/// Keys, users, sessions and the dashboard's cookies hold on every instance of one store: a key made while both run
/// works on both, a key revoked through A stops working on B within the stated bound (2 s), a user added through A
/// signs in on B, a cookie issued by one instance opens pages on the other, and a password set again through A ends the
/// user's session on B.
/// </summary>
public sealed class AccessTests
{
    /// <summary>docs/api.md's bound (ServerOptions.SharedStateFreshFor) with a second of slack for a loaded machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1);

    [Fact]
    public async Task KeysUsersSessionsAndCookies_HoldOnEveryInstance()
    {
        await using var both = await TwoInstances.StartAsync();
        using var adminA = both.Client(0);

        // A key made with 'overlap keys create' while both instances run works on both at once.
        var made = (await both.RunAsync(1, "keys", "create", "--role", "viewer")).Trim();
        for (var i = 0; i < 2; i++)
        {
            using var viewer = both.Client(i, made);
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/features")).StatusCode);
        }

        // A key made through A works on B; revoked through A, B refuses it within the bound.
        var created = await adminA.PostAsJsonAsync("/v1/admin/keys", new { role = "viewer", name = "dashboards" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        using var onB = both.Client(1, (string)answer["key"]!);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/v1/features")).StatusCode);
        var revoke = await adminA.DeleteAsync($"/v1/admin/keys/{(string)answer["details"]!["id"]!}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refused = await WithinBoundAsync(async () => (await onB.GetAsync("/v1/features")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        var problem = await (await onB.GetAsync("/v1/features")).Content.ReadAsStringAsync();
        Assert.Contains("This API key no longer works", problem, StringComparison.Ordinal);

        // A user added through A signs in on B; the cookie B issued opens A's pages, and a key sign-in on A opens B's.
        const string Password = "correct horse battery staple";
        var user = await adminA.PostAsJsonAsync(
            "/v1/admin/users",
            new
            {
                name = "ana",
                role = "viewer",
                password = Password,
            }
        );
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        using var ana = new Browser(both.Address(1));
        var signIn = await ana.SubmitAsync(
            "/signin",
            "password-form",
            new Dictionary<string, string> { ["Credentials.Name"] = "ana", ["Credentials.Password"] = Password }
        );
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/")).StatusCode);
        using var anaOnA = CarryCookies(ana, both.Address(0));
        Assert.Equal(HttpStatusCode.OK, (await anaOnA.GetAsync("/")).StatusCode);

        using var keyed = new Browser(both.Address(0));
        var keySignIn = await keyed.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = made }
        );
        Assert.Equal(HttpStatusCode.Redirect, keySignIn.StatusCode);
        using var keyedOnB = CarryCookies(keyed, both.Address(1));
        Assert.Equal(HttpStatusCode.OK, (await keyedOnB.GetAsync("/")).StatusCode);

        // Her password set again through A: her session ends on B within the bound.
        var set = await adminA.PostAsJsonAsync(
            "/v1/admin/users/ana/password",
            new { password = "a new passphrase, long" }
        );
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        var ended = await WithinBoundAsync(async () => (await ana.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, ended);
    }

    /// <summary>A browser on <paramref name="address"/> with <paramref name="browser"/>'s cookies.</summary>
    private static Browser CarryCookies(Browser browser, Uri address)
    {
        var other = new Browser(address);
        foreach (var (name, value) in browser.Cookies)
        {
            other.Cookies[name] = value;
        }
        return other;
    }

    /// <summary>Asks until the answer changes from the first one, for up to <see cref="Bound"/>; the last answer.</summary>
    private static async Task<HttpStatusCode> WithinBoundAsync(Func<Task<HttpStatusCode>> ask)
    {
        var first = await ask();
        var waited = Stopwatch.StartNew();
        var last = first;
        while (last == first && waited.Elapsed < Bound)
        {
            await Task.Delay(100);
            last = await ask();
        }
        return last;
    }
}
