using System.Diagnostics;
using Microsoft.Playwright;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The mail-preview scenario (<c>dotnet run --project samples/MailPreview -- --serve</c>) as a user runs it, on fewer
/// emails, then its dashboard in Chromium with the admin key it prints: a preview graded on the rubric by keys in the
/// review queue, the feature page and the offline evaluation among the runs. The screenshots are
/// docs/walkthrough-generative.md's; with OVERLAP_WALKTHROUGH_SHOTS set to a folder they are written there too.
/// </summary>
[Collection(nameof(DemoDashboardTests))]
public sealed class MailPreviewDashboardTests : IAsyncLifetime
{
    private const float Timeout = 60_000;
    private readonly string _out = Path.Combine(
        Path.GetTempPath(),
        "overlap-mail-preview-ui-" + Guid.NewGuid().ToString("N")[..8]
    );
    private Process? _scenario;
    private string _address = "";
    private string _key = "";

    public async Task InitializeAsync()
    {
        _address = $"http://127.0.0.1:{ServeProcess.FreePort()}";
        _scenario = ServeProcess.Start(
            "MailPreview.dll",
            ["--out", _out, "--cases", "120", "--replay", "160", "--urls", _address, "--serve"],
            drainOutput: false
        );
        // The admin key is the line after "The dashboard is at …", printed once the dashboard serves.
        var key = ReadKeyAsync(_scenario.StandardOutput);
        var finished = await Task.WhenAny(key, Task.Delay(TimeSpan.FromMinutes(6)));
        Assert.True(
            finished == key && key.Result is not null,
            "the mail-preview scenario printed no admin key within 6 minutes"
        );
        _key = key.Result!;
    }

    private static async Task<string?> ReadKeyAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("The dashboard is at", StringComparison.Ordinal))
            {
                var key = (await output.ReadLineAsync())?.Trim();
                // Keep draining, so the scenario never blocks on a full pipe.
                _ = output.ReadToEndAsync();
                return key;
            }
        }
        return null;
    }

    public async Task DisposeAsync()
    {
        if (_scenario is { HasExited: false })
        {
            _scenario.Kill(entireProcessTree: true);
            await _scenario.WaitForExitAsync();
        }
        _scenario?.Dispose();
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task TheScenariosDashboard_ShowsThePreviewsStory()
    {
        await using var browser = await DashboardBrowser.StartAsync(_address);
        var page = await browser.SignedInAsync(_key);

        // A preview the scripted reviewers left for a person, graded on the rubric by keys.
        await page.GotoAsync("/features/mail-preview/review", new PageGotoOptions { Timeout = Timeout });
        var item = page.GetByTestId("review-item").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("criterion")).ToHaveCountAsync(2, new() { Timeout = Timeout });
        await item.FocusAsync(new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("y");
        await page.Keyboard.PressAsync("4");
        await Assertions
            .Expect(page.GetByTestId("criterion").Nth(1).GetByTestId("grade"))
            .ToHaveTextAsync("4", new() { Timeout = Timeout });
        await DashboardBrowser.WalkthroughShotAsync(page, "generative-review.png");
        await page.Keyboard.PressAsync("Enter");
        await Assertions
            .Expect(page.GetByTestId("review-message"))
            .ToContainTextAsync("graded.", new() { Timeout = Timeout });

        // The feature page over the replayed days.
        await page.GotoAsync("/features/mail-preview", new PageGotoOptions { Timeout = Timeout });
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("preview", new() { Timeout = Timeout });
        // Plotly draws the charts after the page's text: the acceptable rate's and one per check and criterion.
        await page.WaitForFunctionAsync(
            "() => document.querySelectorAll('.js-plotly-plot').length >= 3",
            null,
            new PageWaitForFunctionOptions { Timeout = Timeout }
        );
        await DashboardBrowser.WalkthroughShotAsync(page, "generative-feature.png");

        // The offline evaluation (version 2 against version 1) among the runs.
        await page.GotoAsync("/features/mail-preview/evaluations", new PageGotoOptions { Timeout = Timeout });
        await Assertions
            .Expect(page.Locator("body"))
            .ToContainTextAsync("version 2 against version 1", new() { Timeout = Timeout });
        await DashboardBrowser.WalkthroughShotAsync(page, "generative-evaluations.png");
        Assert.True(browser.Errors.Count == 0, string.Join('\n', browser.Errors));
    }
}
