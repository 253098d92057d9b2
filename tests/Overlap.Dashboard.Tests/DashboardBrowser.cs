using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright against a <see cref="DashboardServer"/>: pages that record every console error,
/// page error and failed response, and signing in with a key.
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _address;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, string address)
    {
        _playwright = playwright;
        _browser = browser;
        _address = address;
    }

    /// <summary>What the browser reported as errors (a script that failed to load, an exception in a page, a 4xx or 5xx).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Where screenshots are kept for a person to look at.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<DashboardBrowser> StartAsync(string address)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Debian's Chromium is needed at /usr/bin/chromium (apt-get install -y chromium; scripts/test.sh does this).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        Directory.CreateDirectory(Screenshots);
        return new DashboardBrowser(playwright, browser, address);
    }

    /// <summary>A new page (its own cookies) signed in with <paramref name="key"/>, on the overview.</summary>
    public async Task<IPage> SignedInAsync(string key)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _address, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => Errors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Errors.Add($"{response.Status} for {response.Url}");
            }
        };
        await page.GotoAsync("/");
        await page.FillAsync("#key", key);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{_address}/");
        return page;
    }

    /// <summary>A full-page screenshot under <see cref="Screenshots"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
