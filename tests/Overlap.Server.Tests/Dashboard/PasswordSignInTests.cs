using System.Net;
using Microsoft.Extensions.Time.Testing;
using Overlap.Server.Auth;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>Signing in to the dashboard with a name and password, on a real server with a fake clock.</summary>
public sealed class PasswordSignInTests : IAsyncLifetime
{
    private const string AnaPassword = "tall green lamp on mars";
    private const string BenPassword = "seven quiet rivers run";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configure: o => o with { Time = _clock });
        await AddUserAsync(_server.Store<IUserStore>(), "ana", KeyRole.Admin, AnaPassword);
        await AddUserAsync(_server.Store<IUserStore>(), "ben", KeyRole.Viewer, BenPassword);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task AddUserAsync(IUserStore store, string name, KeyRole role, string password) =>
        Assert.True(
            await store.AddUserAsync(
                new UserRecord(
                    name,
                    role,
                    Passwords.Hash(password),
                    Passwords.NewStamp(),
                    DateTimeOffset.UnixEpoch,
                    DateTimeOffset.UnixEpoch
                )
            )
        );

    /// <summary>Posts the password form of the sign-in page.</summary>
    internal static Task<HttpResponseMessage> SignInAsync(
        Browser browser,
        string name,
        string password,
        string returnUrl = "/"
    ) =>
        browser.SubmitAsync(
            $"/signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            "password-form",
            new Dictionary<string, string> { ["Credentials.Name"] = name, ["Credentials.Password"] = password }
        );

    private static async Task<string> TextAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task TheRightPassword_SetsAnHttpOnlyStrictCookie_WithTheUsersNameAndRole()
    {
        using var browser = new Browser(_server.Address);
        var response = await SignInAsync(browser, "ANA", AnaPassword, "/features/x/contract");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/features/x/contract", response.Headers.Location!.PathAndQuery);
        var cookie = Assert.Single(browser.LastSetCookies, c => c.StartsWith("overlap=", StringComparison.Ordinal));
        var flags = cookie
            .Split(';', StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(f => f.ToLowerInvariant())
            .ToList();
        Assert.Contains("httponly", flags);
        Assert.Contains("samesite=strict", flags);
        Assert.Contains("path=/", flags);
        // Served over plain HTTP on loopback the cookie cannot be Secure; over HTTPS it is (CookieSecurePolicy.SameAsRequest).
        Assert.DoesNotContain("secure", flags);
        var (status, html) = await browser.PageAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("ana (admin)", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPassword_AndAnUnknownName_GetTheSameAnswer_AndNoSession()
    {
        using var browser = new Browser(_server.Address);
        var wrong = await SignInAsync(browser, "ana", AnaPassword + "!");
        var unknown = await SignInAsync(browser, "nobody", AnaPassword);
        foreach (var response in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(
                "That name and password do not match.",
                await TextAsync(response),
                StringComparison.Ordinal
            );
        }
        Assert.DoesNotContain("overlap", browser.Cookies.Keys);
        Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswords_DelayTheName_EvenWithTheRightOne_ForABoundedBackoff()
    {
        using var browser = new Browser(_server.Address);
        for (var i = 0; i <= PasswordBackoff.FreeFailures; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInAsync(browser, "ana", $"guess number {i}")).StatusCode);
        }
        var refused = await SignInAsync(browser, "Ana", AnaPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("30", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains(
            "Too many wrong passwords for this name. Try again in 30 seconds",
            await TextAsync(refused),
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("overlap", browser.Cookies.Keys);
        // Another name is not held back.
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await SignInAsync(new Browser(_server.Address), "ben", BenPassword)).StatusCode
        );
        _clock.Advance(PasswordBackoff.First);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, "ana", AnaPassword)).StatusCode);
    }

    [Fact]
    public async Task WrongPasswordsSpreadOut_NeverLockTheName()
    {
        using var browser = new Browser(_server.Address);
        for (var i = 0; i < 2 * PasswordBackoff.FreeFailures; i++)
        {
            await SignInAsync(browser, "ana", $"guess number {i}");
            _clock.Advance(TimeSpan.FromMinutes(4));
        }
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, "ana", AnaPassword)).StatusCode);
    }

    [Fact]
    public async Task ARemovedUser_AndOneWhosePasswordWasSetAgain_AreSignedOutAtTheirNextRequest()
    {
        using var ana = new Browser(_server.Address);
        using var ben = new Browser(_server.Address);
        await SignInAsync(ana, "ana", AnaPassword);
        await SignInAsync(ben, "ben", BenPassword);
        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ben.GetAsync("/")).StatusCode);
        var store = _server.Store<IUserStore>();
        Assert.True(await store.RemoveUserAsync("ana"));
        Assert.True(
            await store.SetPasswordAsync(
                "ben",
                Passwords.Hash("a brand new passphrase"),
                Passwords.NewStamp(),
                _clock.GetUtcNow()
            )
        );
        // The store is asked again once the short cache has run out.
        _clock.Advance(UserSessions.CacheFor);
        foreach (var browser in new[] { ana, ben })
        {
            var page = await browser.GetAsync("/");
            Assert.Equal(HttpStatusCode.Found, page.StatusCode);
            Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            // The cookie may stay in the browser, but its session is gone from the server: it is worth nothing.
        }
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(ben, "ben", "a brand new passphrase")).StatusCode);
    }

    [Fact]
    public async Task AUserRemovedWhileTheServerWasStopped_IsRefusedAtOnceAfterTheRestart_WhileAKeysSessionGoesOn()
    {
        using var ana = new Browser(_server.Address);
        using var keyed = new Browser(_server.Address);
        await SignInAsync(ana, "ana", AnaPassword);
        await keyed.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = _server.Key(KeyRole.Viewer) }
        );
        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/")).StatusCode);
        var folder = _server.Folder;
        var (anaCookie, keyCookie) = (ana.Cookies["overlap"], keyed.Cookies["overlap"]);
        await _server.StopKeepingDataAsync();
        // What 'overlap users remove ana' does while the server is stopped.
        await using (var opened = new TestStore(folder))
        {
            var store = opened.Get<IUserStore>();
            Assert.True(await store.RemoveUserAsync("ana"));
        }
        _server = await RunningServer.StartAsync(folder, configure: o => o with { Time = _clock });
        using var anaAgain = new Browser(_server.Address);
        using var keyedAgain = new Browser(_server.Address);
        anaAgain.Cookies["overlap"] = anaCookie;
        keyedAgain.Cookies["overlap"] = keyCookie;
        Assert.Equal(HttpStatusCode.Found, (await anaAgain.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyedAgain.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryToken_IsRefused()
    {
        using var browser = new Browser(_server.Address);
        await browser.GetAsync("/signin");
        var response = await browser.PostAsync(
            "/signin",
            new Dictionary<string, string>
            {
                ["_handler"] = "signin-password",
                ["Credentials.Name"] = "ana",
                ["Credentials.Password"] = AnaPassword,
            }
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("overlap", browser.Cookies.Keys);
    }
}
