using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Overlap.Core.Events;
using Overlap.Server;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// A feature whose estimate stopped being right (half the spam now scores like ham): the feature page warns beside the
/// key metric, marks the estimates of windows without labels, offers an admin the recalibration, and after it says
/// what the calibration was fitted on and stops warning. Its own server (in process, on loopback) and DuckDB file.
/// </summary>
public sealed class EstimateWarningTests : IAsyncLifetime
{
    private const string Feature = "spam";
    private static readonly DateTimeOffset Today = new(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
    private static readonly DateTimeOffset Day0 = Today.AddDays(-11);

    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-estimate-").FullName;
    private WebApplication _app = null!;
    private string _address = "";
    private string _adminKey = "";
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _app = await OverlapServer.BuildAsync(new ServerOptions { DataFolder = _folder, Urls = "http://127.0.0.1:0" });
        await _app.StartAsync();
        _address = OverlapServer.Addresses(_app)[0];
        var store = _app.Services.GetRequiredService<IEventStore>();
        _adminKey = await ApiKeys.CreateAsync(store, KeyRole.Admin, "ana", DateTimeOffset.UnixEpoch);
        using var admin = new HttpClient { BaseAddress = new Uri(_address), Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _adminKey);
        var contract = string.Create(CultureInfo.InvariantCulture, $$"""
            feature: spam
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { id: id, time: time, label: label, score: p_spam }
            threshold: 0.5
            requirements:
              - { metric: recall, min: 0.7 }
            monitoring:
              window: 1d
              reference: { from: {{Day0:yyyy-MM-dd}}, to: {{Day0.AddDays(4):yyyy-MM-dd}} }
              min_samples: 10
            """);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(contract))).StatusCode);
        await store.AppendAsync(Events(), TimeProvider.System.GetUtcNow());
        _browser = await DashboardBrowser.StartAsync(_address);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// 200 emails a day for 11 days, half spam; spam scores 0.8 and ham 0.2 in the reference (the first 4 days), then half
    /// the spam scores 0.2. Every day but the last two is labelled.
    /// </summary>
    private static List<FeatureEvent> Events()
    {
        var events = new List<FeatureEvent>();
        for (var day = 0; day < 11; day++)
        {
            for (var i = 0; i < 200; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"m{day}-{i}");
                var spam = i % 2 == 0;
                var time = Day0.AddDays(day).AddMinutes(7 * i);
                events.Add(new PredictionEvent { Id = id, Feature = Feature, Time = time, Score = spam && !(day >= 4 && i % 4 == 2) ? 0.8 : 0.2 });
                if (day < 9)
                {
                    events.Add(new OutcomeEvent { Id = $"o-{id}", PredictionId = id, Label = spam ? "spam" : "ham", Time = time.AddHours(1) });
                }
            }
        }
        return events;
    }

    [Fact]
    public async Task FeaturePage_EstimateOff_WarnsAndOffersRecalibration_ThenSaysWhatItWasFittedOn()
    {
        var page = await _browser.SignedInAsync(_adminKey);
        await page.GotoAsync($"/features/{Feature}", new PageGotoOptions { Timeout = 120_000 });

        var warning = page.GetByTestId("estimate-warning");
        await Assertions.Expect(warning).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(warning).ToContainTextAsync("The estimate is unreliable: it has been 0.5 above the realised recall on average, outside the realised interval in 4 of the last 4 labelled days", new() { Timeout = 5_000 });
        // The two days without labels carry the warning on their estimate.
        await Assertions.Expect(page.GetByTestId("estimate-unreliable")).ToHaveCountAsync(6, new() { Timeout = 5_000 });
        await Assertions.Expect(page.GetByTestId("calibration-basis")).ToContainTextAsync("on the 800 labelled predictions of the reference period", new() { Timeout = 5_000 });
        var button = page.GetByTestId("recalibrate");
        await Assertions.Expect(button).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await DashboardBrowser.ScreenshotAsync(page, "estimate-warning.png");

        await button.ClickAsync(new LocatorClickOptions { Timeout = 10_000 });
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("recalibration="), new PageWaitForURLOptions { Timeout = 120_000 });

        await Assertions.Expect(page.GetByTestId("recalibration-message")).ToContainTextAsync("Recalibrated. Estimates use scores calibrated (isotonic) on the 800 labelled predictions from", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("estimate-warning")).ToHaveCountAsync(0, new() { Timeout = 5_000 });
        await Assertions.Expect(page.GetByTestId("estimate-check")).ToContainTextAsync("The estimate has held", new() { Timeout = 5_000 });
        await Assertions.Expect(page.GetByTestId("calibration-basis")).ToContainTextAsync("recalibrated by ana", new() { Timeout = 5_000 });
        Assert.Empty(_browser.Errors);
    }
}
