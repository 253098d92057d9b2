using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The spam-filter sample (<c>dotnet run --project samples/SpamDemo</c>) as a user runs it (a third of the later mail, a short replay), then its dashboard in Chromium with
/// the admin key it prints: the spam filter's verdict, the weeks that failed, the alerts, the review queue with the
/// reviewers' agreement, and v1 and v2 among the evaluation runs. The screenshots are the walkthrough's; with
/// OVERLAP_WALKTHROUGH_SHOTS set to a folder they are written there too (docs/images).
/// </summary>
[Collection(nameof(DemoDashboardTests))]
public sealed class DemoDashboardTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(
        Path.GetTempPath(),
        "overlap-demo-ui-" + Guid.NewGuid().ToString("N")[..8]
    );
    private Process? _demo;
    private string _address = "";
    private string _key = "";

    public async Task InitializeAsync()
    {
        _address = $"http://127.0.0.1:{ServeProcess.FreePort()}";
        _demo = ServeProcess.Start(
            "SpamDemo.dll",
            ["--data", _data, "--urls", _address, "--slice", "0.35", "--seconds", "15"],
            drainOutput: false
        );
        // The admin key is the one line on stdout, printed once the dashboard serves.
        var line = _demo.StandardOutput.ReadLineAsync();
        var finished = await Task.WhenAny(line, Task.Delay(TimeSpan.FromMinutes(5)));
        Assert.True(
            finished == line && line.Result is not null,
            "the spam-filter sample printed no admin key within 5 minutes"
        );
        _key = line.Result!.Trim();
    }

    public async Task DisposeAsync()
    {
        if (_demo is { HasExited: false })
        {
            _demo.Kill(entireProcessTree: true);
            await _demo.WaitForExitAsync();
        }
        _demo?.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task TheDemosDashboard_ShowsTheSpamFiltersStory()
    {
        await using var browser = await DashboardBrowser.StartAsync(_address);
        var page = await browser.SignedInAsync(_key);

        // The overview: the spam filter judged over its last 30 days, with its requirements in plain words.
        var card = page.Locator("[data-testid=feature][data-feature=spam-filter]");
        await Assertions.Expect(card).ToContainTextAsync("spam email");
        await DashboardBrowser.WalkthroughShotAsync(page, "demo-overview.png");

        // The feature page: the weeks, the drift and the retrain advice the replay led to.
        await page.GotoAsync("/features/spam-filter");
        await Assertions.Expect(page.Locator("[data-testid=window-table]")).ToContainTextAsync("2002-");
        await Assertions.Expect(page.Locator("[data-testid=drift]")).ToContainTextAsync("drifted");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.js-plotly-plot').length >= 3");
        await DashboardBrowser.WalkthroughShotAsync(page, "demo-feature.png");

        // The alerts the replay fired.
        await page.GotoAsync("/features/spam-filter/alerts");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("recall min 0.8");
        await DashboardBrowser.WalkthroughShotAsync(page, "demo-alerts.png");

        // The review queue: the reviewers' decisions per day and their agreement.
        await page.GotoAsync("/features/spam-filter/review");
        await Assertions.Expect(page.Locator("[data-testid=queue-figures]")).ToContainTextAsync("decided");
        await Assertions
            .Expect(page.Locator("[data-testid=agreement]"))
            .ToContainTextAsync(new Regex("Reviewers agree on \\d+ of \\d+"));
        await DashboardBrowser.WalkthroughShotAsync(page, "demo-review.png");

        // v1 and v2 among the evaluation runs.
        await page.GotoAsync("/features/spam-filter/evaluations");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("v2 on the latest 30%");
        await DashboardBrowser.WalkthroughShotAsync(page, "demo-evaluations.png");

        // The experiment the demo started on the later mail: v2 against v1, its two arms, the figures and the decision.
        await page.GotoAsync("/experiments");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("spam-v2");
        await page.GotoAsync("/experiments/spam-v2");
        await Assertions.Expect(page.Locator("[data-testid=arm]")).ToHaveCountAsync(2);
        await Assertions
            .Expect(page.Locator("[data-testid=decision]"))
            .ToContainTextAsync(
                new Regex("^(Ended on .+, on this decision: )?(Keep running|Roll out v2|Roll back v2|Stop)")
            );
        await Assertions
            .Expect(page.Locator("[data-testid=figure][data-metric=false_positive_rate]"))
            .ToContainTextAsync("points");
        await DashboardBrowser.WalkthroughShotAsync(page, "demo-experiment.png");
        Assert.True(browser.Errors.Count == 0, string.Join('\n', browser.Errors));
    }
}

/// <summary>The demo trains a model and replays months of mail on both cores: it runs alone, not beside the other browser tests.</summary>
[CollectionDefinition(nameof(DemoDashboardTests), DisableParallelization = true)]
public sealed class DemoDashboardCollection;
