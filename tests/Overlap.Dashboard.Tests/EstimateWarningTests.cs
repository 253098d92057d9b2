using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Overlap.Server;
using Overlap.Server.Auth;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// A feature whose estimate stopped being right (half the spam now scores like ham): the feature page warns beside the
/// key metric, marks the estimates of windows without labels, offers an admin the recalibration, and after it says
/// what the calibration was fitted on and stops warning. Its own server (in process, on loopback) and DuckDB file.
/// </summary>
public sealed class EstimateWarningTests : IAsyncLifetime
{
    private const string Feature = BrokenSpamModel.Feature;
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
        _adminKey = await ApiKeys.CreateAsync(
            _app.Services.GetRequiredService<IUserStore>(),
            KeyRole.Admin,
            "ana",
            DateTimeOffset.UnixEpoch
        );
        using var admin = new HttpClient { BaseAddress = new Uri(_address), Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            _adminKey
        );
        Assert.Equal(
            System.Net.HttpStatusCode.Created,
            (
                await admin.PutAsync(
                    $"/v1/features/{Feature}/contract",
                    new StringContent(BrokenSpamModel.Contract(Day0))
                )
            ).StatusCode
        );
        // The last two days wait for their labels.
        await _app
            .Services.GetRequiredService<IEventSink>()
            .AppendAsync(BrokenSpamModel.Events(Day0, labelledDays: 9), TimeProvider.System.GetUtcNow());
        _browser = await DashboardBrowser.StartAsync(_address);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task FeaturePage_EstimateOff_WarnsAndOffersRecalibration_ThenSaysWhatItWasFittedOn()
    {
        var page = await _browser.SignedInAsync(_adminKey);
        await page.GotoAsync($"/features/{Feature}", new PageGotoOptions { Timeout = 120_000 });

        var warning = page.GetByTestId("estimate-warning");
        await Assertions.Expect(warning).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions
            .Expect(warning)
            .ToContainTextAsync(
                "The estimate is unreliable: it has been 0.5 above the realised recall on average, outside the realised interval in 4 of the last 4 labelled days",
                new() { Timeout = 5_000 }
            );
        // The two days without labels carry the warning on their estimate.
        await Assertions.Expect(page.GetByTestId("estimate-unreliable")).ToHaveCountAsync(6, new() { Timeout = 5_000 });
        await Assertions
            .Expect(page.GetByTestId("calibration-basis"))
            .ToContainTextAsync("on the 800 labelled predictions of the reference period", new() { Timeout = 5_000 });
        var button = page.GetByTestId("recalibrate");
        await Assertions.Expect(button).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await DashboardBrowser.ScreenshotAsync(page, "estimate-warning.png");

        // The click waits for the form post's navigation, and the refit behind it is slow under load.
        await button.ClickAsync(new LocatorClickOptions { Timeout = 120_000 });
        await page.WaitForURLAsync(
            new System.Text.RegularExpressions.Regex("recalibration="),
            new PageWaitForURLOptions { Timeout = 120_000 }
        );

        await Assertions
            .Expect(page.GetByTestId("recalibration-message"))
            .ToContainTextAsync(
                "Recalibrated. Estimates use scores calibrated (isotonic) on the 800 labelled predictions from",
                new() { Timeout = 60_000 }
            );
        await Assertions.Expect(page.GetByTestId("estimate-warning")).ToHaveCountAsync(0, new() { Timeout = 5_000 });
        await Assertions
            .Expect(page.GetByTestId("estimate-check"))
            .ToContainTextAsync("The estimate has held", new() { Timeout = 5_000 });
        await Assertions
            .Expect(page.GetByTestId("calibration-basis"))
            .ToContainTextAsync("recalibrated by ana", new() { Timeout = 5_000 });
        Assert.Empty(_browser.Errors);
    }
}
