using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Overlap.Core.Experiments;
using Overlap.Core.Statements;
using Overlap.Server;
using Overlap.Server.Auth;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The experiments pages in Chromium: an experiment that started ten days ago (its contract saved then, on a clock
/// pinned to that moment and released after), with a better treatment on eight days of mail. The list shows it with its
/// state in words, its page the decision, each arm's units and the chart of the difference day by day. Its own server
/// (in process, on loopback) and DuckDB file.
/// </summary>
public sealed class ExperimentPagesTests : IAsyncLifetime
{
    private const string Feature = "spam-filter";
    private const string Experiment = "spam-v2";
    private const float Timeout = 60_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-experiments-").FullName;
    private readonly PinnedClock _clock = new();
    private WebApplication _app = null!;
    private string _address = "";
    private string _viewerKey = "";
    private DashboardBrowser _browser = null!;
    private readonly Dictionary<string, int> _sent = new() { ["nb@1"] = 0, ["nb@2"] = 0 };
    private readonly Dictionary<string, int> _awaiting = new() { ["nb@1"] = 0, ["nb@2"] = 0 };

    /// <summary>The system's clock, or a moment it is pinned to.</summary>
    private sealed class PinnedClock : TimeProvider
    {
        public DateTimeOffset? Pinned { get; set; }

        public override DateTimeOffset GetUtcNow() => Pinned ?? TimeProvider.System.GetUtcNow();
    }

    public async Task InitializeAsync()
    {
        var start = TimeProvider.System.GetUtcNow().AddDays(-10);
        _clock.Pinned = start;
        _app = await OverlapServer.BuildAsync(
            new ServerOptions
            {
                DataFolder = _folder,
                Urls = "http://127.0.0.1:0",
                Time = _clock,
            }
        );
        await _app.StartAsync();
        _address = OverlapServer.Addresses(_app)[0];
        var users = _app.Services.GetRequiredService<IUserStore>();
        var adminKey = await ApiKeys.CreateAsync(users, KeyRole.Admin, "ana", DateTimeOffset.UnixEpoch);
        _viewerKey = await ApiKeys.CreateAsync(users, KeyRole.Viewer, "ben", DateTimeOffset.UnixEpoch);
        using var admin = Client(adminKey);
        var put = await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(ExperimentMail.Contract(Feature, Experiment, 0.05))
        );
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        // A second experiment, on a feature that has had no traffic yet.
        var idle = await admin.PutAsync(
            "/v1/features/spam-idle/contract",
            new StringContent(ExperimentMail.Contract("spam-idle", "idle-v2", 0.05))
        );
        Assert.True(idle.IsSuccessStatusCode, await idle.Content.ReadAsStringAsync());
        _clock.Pinned = null;
        var ingested = await admin.PostAsync(
            "/v1/events",
            new StringContent(Mail(start), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.True(ingested.IsSuccessStatusCode, await ingested.Content.ReadAsStringAsync());
        _browser = await DashboardBrowser.StartAsync(_address);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(_address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            key
        );
        return client;
    }

    /// <summary>
    /// 2,400 emails, one every 5 minutes from an hour after the start, labelled an hour later but for the last
    /// <see cref="Unlabelled"/>, which await their labels; the control catches 80% of spam, the treatment 95%.
    /// </summary>
    private string Mail(DateTimeOffset start)
    {
        var emails = ExperimentMail.Emails(
            Experiment,
            2_400,
            start.AddHours(1),
            TimeSpan.FromMinutes(5),
            (0.80, 0.95),
            seed: 5
        );
        foreach (var e in emails)
        {
            _sent[e.Version]++;
        }
        foreach (var e in emails[^Unlabelled..])
        {
            _awaiting[e.Version]++;
        }
        return ExperimentMail.Ndjson(Feature, emails[..^Unlabelled], TimeSpan.FromHours(1))
            + ExperimentMail.Ndjson(Feature, emails[^Unlabelled..], labelAfter: null);
    }

    /// <summary>The experiment's primary metric, as its contract declares it.</summary>
    private static readonly Overlap.Core.Contracts.ExperimentMetric RecallMetric = Overlap
        .Core.Contracts.ContractParser.Parse(ExperimentMail.Contract(Feature, Experiment, 0.05))
        .Experiments[0]
        .Primary[0];

    /// <summary>The last emails sent, whose labels have not come.</summary>
    private const int Unlabelled = 400;

    [Fact]
    public async Task ListAndExperimentPage_ShowTheDecision_TheArmsCounts_AndTheDifferenceChart()
    {
        using var viewer = Client(_viewerKey);
        using var decision = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/experiments/{Experiment}/decision"));
        var statement = decision.RootElement.GetProperty("statement").GetString()!;
        Assert.Equal("rollout", decision.RootElement.GetProperty("decision").GetString());

        var page = await _browser.SignedInAsync(_viewerKey);
        await page.GetByTestId("nav-experiments").ClickAsync(new LocatorClickOptions { Timeout = Timeout });
        await page.WaitForURLAsync($"{_address}/experiments", new PageWaitForURLOptions { Timeout = Timeout });
        var row = page.Locator($"[data-testid=experiment][data-name={Experiment}]");
        await Assertions.Expect(row.GetByTestId("state")).ToHaveTextAsync("roll out", new() { Timeout = Timeout });
        await Assertions.Expect(row.GetByTestId("statement")).ToHaveTextAsync(statement, new() { Timeout = 5_000 });
        await Assertions
            .Expect(row)
            .ToContainTextAsync("nb@1 (control) vs nb@2 (treatment)", new() { Timeout = 5_000 });
        await DashboardBrowser.ScreenshotAsync(page, "experiments.png");

        await row.GetByRole(AriaRole.Link, new() { Name = Experiment }).ClickAsync(new() { Timeout = Timeout });
        await page.WaitForURLAsync(
            $"{_address}/experiments/{Experiment}",
            new PageWaitForURLOptions { Timeout = Timeout }
        );
        await Assertions.Expect(page.GetByTestId("decision")).ToHaveTextAsync(statement, new() { Timeout = Timeout });
        foreach (var (arm, version) in new[] { ("control", "nb@1"), ("treatment", "nb@2") })
        {
            await Assertions
                .Expect(page.Locator($"[data-testid=arm][data-arm={arm}]").GetByTestId("units"))
                .ToHaveTextAsync(
                    _sent[version].ToString("#,0", CultureInfo.InvariantCulture),
                    new() { Timeout = 5_000 }
                );
        }
        await Assertions
            .Expect(page.GetByTestId("split"))
            .ToContainTextAsync("as close as chance allows", new() { Timeout = 5_000 });
        await Assertions
            .Expect(page.Locator("[data-testid=figure][data-metric=recall]").GetByTestId("meaning"))
            .ToHaveTextAsync("Better: the always-valid interval lies wholly above zero.", new() { Timeout = 5_000 });

        // The emails awaiting their labels: counted per arm and estimated, marked as estimates, beside the labelled figures.
        using var analysis = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/experiments/{Experiment}"));
        foreach (var (arm, version, i) in new[] { ("control", "nb@1", 0), ("treatment", "nb@2", 1) })
        {
            var estimate = page.Locator($"[data-testid=estimate][data-arm={arm}]");
            await Assertions
                .Expect(estimate.GetByTestId("awaiting"))
                .ToHaveTextAsync(
                    _awaiting[version].ToString("#,0", CultureInfo.InvariantCulture),
                    new() { Timeout = 5_000 }
                );
            // The estimate with its interval, then the arm's labelled recall as the figures table gives it.
            var json = analysis.RootElement;
            var recall = json.GetProperty("estimated")[i].GetProperty("metrics")[0];
            Assert.Equal("recall", recall.GetProperty("metric").GetString());
            var labelled = json.GetProperty("primary")[0].GetProperty(arm).GetDouble();
            await Assertions
                .Expect(estimate.Locator("[data-testid=estimated][data-metric=recall]"))
                .ToHaveTextAsync(
                    $"estimated {Phrasing.Percent(recall.GetProperty("value").GetDouble())} "
                        + $"({Phrasing.Percent(recall.GetProperty("ci_low").GetDouble())} to {Phrasing.Percent(recall.GetProperty("ci_high").GetDouble())}); "
                        + $"labelled {ExperimentStatements.Figure(RecallMetric, labelled)}",
                    new() { Timeout = 5_000 }
                );
            var said = analysis.RootElement.GetProperty("estimated")[i].GetProperty("statement").GetString()!;
            Assert.StartsWith(
                $"Not yet labelled: {_awaiting[version]} emails served by {version}. Estimated from its scores",
                said,
                StringComparison.Ordinal
            );
            await Assertions
                .Expect(page.Locator($"[data-testid=estimate-statement][data-arm={arm}]"))
                .ToHaveTextAsync(said, new() { Timeout = 5_000 });
        }
        await Assertions
            .Expect(page.GetByTestId("estimates").Locator("th").Filter(new() { HasText = "recall" }))
            .ToHaveTextAsync("recall (estimated)", new() { Timeout = 5_000 });

        var chart = page.GetByTestId("difference-chart");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-metric", "recall", new() { Timeout = Timeout });
        await Assertions.Expect(chart.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        // One point at the end of each day since the start: ten whole days and the seconds of the eleventh, the last point now.
        await Assertions
            .Expect(chart.Locator(".scatterlayer .trace").Nth(1).Locator("path.point"))
            .ToHaveCountAsync(11, new() { Timeout = 5_000 });
        await page.Locator("[data-testid=chart-metric][data-metric=latency_p95_ms]")
            .ClickAsync(new() { Timeout = Timeout });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-metric", "latency p95", new() { Timeout = Timeout });
        await Assertions.Expect(chart.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(chart).ToContainTextAsync("guardrail's margin: +50 ms", new() { Timeout = 5_000 });
        await DashboardBrowser.ScreenshotAsync(page, "experiment.png");

        var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.Empty(_browser.Errors);
    }

    [Fact]
    public async Task AnExperimentWithoutTraffic_SaysWhatItWaitsFor_AndAnUnknownNameSaysSo()
    {
        var page = await _browser.SignedInAsync(_viewerKey);
        await page.GotoAsync("/experiments/idle-v2", new PageGotoOptions { Timeout = Timeout });
        await Assertions
            .Expect(page.GetByTestId("decision"))
            .ToContainTextAsync("Keep running", new() { Timeout = Timeout });
        await Assertions
            .Expect(page.GetByTestId("split"))
            .ToContainTextAsync("No unit has reached either arm yet", new() { Timeout = 5_000 });
        await Assertions
            .Expect(page.Locator("[data-testid=figure][data-metric=recall]").GetByTestId("difference"))
            .ToHaveTextAsync("no figure yet", new() { Timeout = 5_000 });
        await Assertions
            .Expect(page.Locator("[data-testid=figure][data-metric=recall]").GetByTestId("meaning"))
            .ToHaveTextAsync(
                "No figure yet: an arm has nothing to measure it on (it needs labelled predictions whose labels had time to arrive).",
                new() { Timeout = 5_000 }
            );
        await Assertions
            .Expect(page.GetByTestId("plan"))
            .ToContainTextAsync("No sample size yet", new() { Timeout = 5_000 });
        await Assertions
            .Expect(page.GetByTestId("no-difference"))
            .ToContainTextAsync("No figure for recall yet in both arms", new() { Timeout = Timeout });
        var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("n/a", text, StringComparison.Ordinal);
        await DashboardBrowser.ScreenshotAsync(page, "experiment-idle.png");

        await page.GotoAsync("/experiments/nope", new PageGotoOptions { Timeout = Timeout });
        await Assertions
            .Expect(page.GetByTestId("no-such-experiment"))
            .ToContainTextAsync("No contract declares an experiment named 'nope'", new() { Timeout = Timeout });
        Assert.Empty(_browser.Errors);
    }
}
