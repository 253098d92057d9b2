using System.Net;
using Microsoft.Extensions.Time.Testing;
using Overlap.Server.Auth;
using Overlap.Server.Tests.Dashboard;
using Overlap.Storage;

namespace Overlap.Server.Tests.Auth;

/// <summary>Dashboard sessions on a real server with a fake clock: sign-out, ingest keys, lock-outs.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private const string AnaPassword = "tall green lamp on mars";
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configure: o => o with { Time = _clock });
        Assert.True(
            await _server
                .Store<IUserStore>()
                .AddUserAsync(
                    new UserRecord(
                        "ana",
                        KeyRole.Admin,
                        Passwords.Hash(AnaPassword),
                        Passwords.NewStamp(),
                        DateTimeOffset.UnixEpoch,
                        DateTimeOffset.UnixEpoch
                    )
                )
        );
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> TextAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private static Task<HttpResponseMessage> SignInWithKeyAsync(Browser browser, string key) =>
        browser.SubmitAsync("/signin", "key-form", new Dictionary<string, string> { ["Form.Key"] = key });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignOut_RevokesTheSessionOnTheServer_SoAReplayedCookieIsRefused(bool password)
    {
        using var browser = new Browser(_server.Address);
        var signedIn = password
            ? await PasswordSignInTests.SignInAsync(browser, "ana", AnaPassword)
            : await SignInWithKeyAsync(browser, _server.Key(KeyRole.Viewer));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = browser.Cookies["overlap"];
        var (_, html) = await browser.PageAsync("/");
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await browser.PostAsync("/signout", Browser.HiddenFields(html, "signout-form"))).StatusCode
        );
        Assert.DoesNotContain("overlap", browser.Cookies.Keys);
        using var replay = new Browser(_server.Address);
        replay.Cookies["overlap"] = cookie;
        var page = await replay.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAnIngestKey_IsRefusedWithWhatToUse_AndIssuesNoCookie()
    {
        using var browser = new Browser(_server.Address);
        var response = await SignInWithKeyAsync(browser, _server.Key(KeyRole.Ingest));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(
            "An ingest key sends events; it cannot open the dashboard. Sign in with a viewer, reviewer or admin key, or with your name and password.",
            await TextAsync(response),
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("overlap", browser.Cookies.Keys);
    }

    [Fact]
    public async Task WrongPasswordsFromOneAddress_BlockThatAddress_NotTheUsersOwn()
    {
        using var attacker = new Browser(_server.Address, Attacker);
        for (var i = 0; i < AuthThrottle.MaxFailures; i++)
        {
            Assert.Equal(
                HttpStatusCode.OK,
                (await PasswordSignInTests.SignInAsync(attacker, $"user{i}", $"guess number {i}")).StatusCode
            );
        }
        var blocked = await PasswordSignInTests.SignInAsync(attacker, "ana", AnaPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("900", blocked.Headers.GetValues("Retry-After").Single());
        Assert.Contains(
            "Too many failed sign-ins from this address. Try again in 15 minutes.",
            await TextAsync(blocked),
            StringComparison.Ordinal
        );
        using var ana = new Browser(_server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(ana, "ana", AnaPassword)).StatusCode
        );
    }

    [Fact]
    public async Task WrongPasswordsFromElsewhere_DoNotKeepTheUserOutOfHerOwnBrowser()
    {
        // Ana signed in on this browser before: it is trusted for her name.
        using var ana = new Browser(_server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(ana, "ana", AnaPassword)).StatusCode
        );
        ana.Cookies.Remove("overlap");
        using var attacker = new Browser(_server.Address, Attacker);
        for (var i = 0; i < 5; i++)
        {
            await PasswordSignInTests.SignInAsync(attacker, "ana", $"guess number {i}");
        }
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(ana, "ana", AnaPassword)).StatusCode
        );
    }

    [Fact]
    public async Task AnAttackerGuessingForHours_SlowsTheNameDown_NeverForMoreThanTheCap()
    {
        // Guesses from many addresses, one a minute for an hour and a half (each address stays under its own limit).
        var longest = TimeSpan.Zero;
        for (var i = 0; i < 90; i++)
        {
            using var attacker = new Browser(_server.Address, IPAddress.Parse($"127.0.1.{1 + (i % 50)}"));
            var guess = await PasswordSignInTests.SignInAsync(attacker, "ana", $"guess number {i}");
            if (guess.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = TimeSpan.FromSeconds(
                    int.Parse(
                        guess.Headers.GetValues("Retry-After").Single(),
                        System.Globalization.CultureInfo.InvariantCulture
                    )
                );
                longest = wait > longest ? wait : longest;
            }
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.InRange(longest, TimeSpan.FromSeconds(1), PasswordBackoff.Longest);
        // A browser Ana never used waits at most the cap after the last guess.
        using var elsewhere = new Browser(_server.Address);
        _clock.Advance(PasswordBackoff.Longest);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(elsewhere, "ana", AnaPassword)).StatusCode
        );
    }

    [Fact]
    public async Task WrongKeysFromOneAddress_Get429WithRetryAfter_WhileAnotherAddressIsServed()
    {
        using var attacker = new HttpClient(Browser.Handler(Attacker)) { BaseAddress = _server.Address };
        for (var i = 0; i < AuthThrottle.MaxFailures; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/features")
            {
                Headers = { { "X-Api-Key", $"ovl_wrong{i}" } },
            };
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.SendAsync(request)).StatusCode);
        }
        using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/features")
        {
            Headers = { { "X-Api-Key", _server.Key(KeyRole.Viewer) } },
        };
        var refused = await attacker.SendAsync(again);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("900", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains(
            "Too many failed authentications from this address",
            await refused.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        using var viewer = _server.Client(KeyRole.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/features")).StatusCode);
        _clock.Advance(AuthThrottle.Window);
        using var later = new HttpRequestMessage(HttpMethod.Get, "/v1/features")
        {
            Headers = { { "X-Api-Key", _server.Key(KeyRole.Viewer) } },
        };
        Assert.Equal(HttpStatusCode.OK, (await attacker.SendAsync(later)).StatusCode);
    }
}
