using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright against the fixture's server: pages that record every error the browser
/// reports (a script that failed to load, an exception, a response of 400 or more), and signing in with a key.
/// </summary>
public sealed class DashboardBrowser(string address) : IAsyncDisposable
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public DashboardBrowser(DashboardServer server)
        : this(server.Address) { }

    /// <summary>Where screenshots are kept for a person to look at.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>What the browser reported as errors, on any page opened here.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>A browser for the server at <paramref name="address"/>, started.</summary>
    public static async Task<DashboardBrowser> StartAsync(string address)
    {
        var browser = new DashboardBrowser(address);
        await browser.StartAsync();
        return browser;
    }

    public async Task StartAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions { ExecutablePath = Chromium(), Headless = true }
        );
        Directory.CreateDirectory(Screenshots);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>Debian's Chromium, never a downloaded browser.</summary>
    internal static string Chromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "Debian's Chromium is needed at /usr/bin/chromium (apt-get install -y chromium; scripts/test.sh does this)."
        );

    /// <summary>A new page (its own cookies) on the server, its errors recorded in <see cref="Errors"/>.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = address,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            }
        );
        // No step waits by Playwright's 30 s default: a form post that evaluates or refits takes longer on a busy machine.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(120_000);
        var page = await context.NewPageAsync();
        BrowserErrors.Collect(page, Errors);
        return page;
    }

    /// <summary>
    /// How long each step of signing in may take: the first overview after a start computes the month from the rows
    /// (cold), seconds, more on a busy machine.
    /// </summary>
    public const float SignInTimeout = 120_000;

    /// <summary>A page signed in with <paramref name="key"/>, on the overview.</summary>
    public async Task<IPage> SignedInAsync(string key)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, key);
        return page;
    }

    /// <summary>
    /// Signs <paramref name="page"/> in with <paramref name="key"/> and waits for the overview, every step (the
    /// address, the form, the click and the navigation it starts) with <see cref="SignInTimeout"/>, never a default.
    /// </summary>
    public async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/", new PageGotoOptions { Timeout = SignInTimeout });
        Assert.EndsWith("/signin?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", key, new PageFillOptions { Timeout = SignInTimeout });
        await page.ClickAsync("button[type=submit]", new PageClickOptions { Timeout = SignInTimeout });
        // Signed in once the browser is sent to the overview with its cookie: the overview's own load (a cold 30 days for
        // every feature) is waited for only by the tests that look at it, each with its own timeout.
        await page.WaitForURLAsync(
            $"{address}/",
            new PageWaitForURLOptions { Timeout = SignInTimeout, WaitUntil = WaitUntilState.Commit }
        );
    }

    /// <summary>A full-page screenshot under <see cref="Screenshots"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name), FullPage = true });

    /// <summary>
    /// A screenshot for a walkthrough: taken like <see cref="ScreenshotAsync"/>, and copied to the folder
    /// OVERLAP_WALKTHROUGH_SHOTS names when it is set (docs/images).
    /// </summary>
    public static async Task WalkthroughShotAsync(IPage page, string name)
    {
        await ScreenshotAsync(page, name);
        if (Environment.GetEnvironmentVariable("OVERLAP_WALKTHROUGH_SHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(Screenshots, name), Path.Combine(folder, name), overwrite: true);
        }
    }
}
