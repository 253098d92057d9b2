using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Overlap.Server;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The feature page's Fairness section on a real case: examples/wages-fairness (the 1985 CPS wage sample, scored by
/// its generate.py) sent as one day of predictions with gender and race as attributes, and their outcomes. Its own
/// server (in process, on loopback) and DuckDB file.
/// </summary>
public sealed class FairnessSectionTests : IAsyncLifetime
{
    private const string Feature = "wage-screen";
    private static readonly string Example = Path.Combine(AppContext.BaseDirectory, "Fixtures", "wages-fairness");
    private static readonly DateTimeOffset Day = new DateTimeOffset(
        TimeProvider.System.GetUtcNow().UtcDateTime.Date,
        TimeSpan.Zero
    ).AddDays(-3);

    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-fairness-").FullName;
    private WebApplication _app = null!;
    private string _adminKey = "";
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _app = await OverlapServer.BuildAsync(new ServerOptions { DataFolder = _folder, Urls = "http://127.0.0.1:0" });
        await _app.StartAsync();
        var address = OverlapServer.Addresses(_app)[0];
        _adminKey = await ApiKeys.CreateAsync(
            _app.Services.GetRequiredService<IUserStore>(),
            KeyRole.Admin,
            "ana",
            DateTimeOffset.UnixEpoch
        );
        using var admin = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            _adminKey
        );
        var contract = await File.ReadAllTextAsync(Path.Combine(Example, "overlap.yaml"));
        Assert.Equal(
            System.Net.HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(contract))).StatusCode
        );
        var events = new StringBuilder();
        foreach (var line in (await File.ReadAllLinesAsync(Path.Combine(Example, "scored.csv"))).Skip(1))
        {
            var r = line.Split(',');
            var (id, label, score, gender, race) = (r[0], r[1], r[2], r[3], r[4]);
            var time = Day.AddSeconds(60 * int.Parse(id, CultureInfo.InvariantCulture)).ToString("O");
            events
                .Append(
                    $$$"""{"type":"prediction","id":"w{{{id}}}","feature":"{{{Feature}}}","time":"{{{time}}}","score":{{{score}}},"attributes":{"gender":"{{{gender}}}","race":"{{{race}}}"}}"""
                )
                .Append('\n')
                .Append(
                    $$"""{"type":"outcome","id":"o{{id}}","prediction_id":"w{{id}}","label":"{{label}}","time":"{{time}}"}"""
                )
                .Append('\n');
        }
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(System.Net.HttpStatusCode.Accepted, sent.StatusCode);
        _browser = await DashboardBrowser.StartAsync(address);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task FeaturePage_FairnessSection_ShowsEachMeasurePerGroupWithItsSentence()
    {
        var page = await _browser.SignedInAsync(_adminKey);
        await page.GotoAsync($"/features/{Feature}", new PageGotoOptions { Timeout = 120_000 });

        var section = page.GetByTestId("fairness");
        await Assertions.Expect(section).ToBeVisibleAsync(new() { Timeout = 60_000 });
        // Gender, race and their intersection, six measures each.
        await Assertions
            .Expect(section.GetByTestId("fairness-measure"))
            .ToHaveCountAsync(18, new() { Timeout = 5_000 });
        var ratio = section.Locator("[data-testid=fairness-measure][data-metric=selection_rate_ratio][data-by=gender]");
        await Assertions.Expect(ratio).ToContainTextAsync("0.7716", new() { Timeout = 5_000 });
        await Assertions.Expect(ratio).ToContainTextAsync("inconclusive", new() { Timeout = 5_000 });
        await Assertions
            .Expect(ratio.GetByTestId("fairness-statement"))
            .ToContainTextAsync(
                "Workers with gender = female are predicted to earn above the median 0.77 times as often as those with gender = male (",
                new() { Timeout = 5_000 }
            );
        var race = section.Locator("[data-testid=fairness-measure][data-metric=selection_rate_ratio][data-by=race]");
        await Assertions
            .Expect(race.GetByTestId("fairness-statement"))
            .ToContainTextAsync(
                "Not enough data to judge it: race = hispanic has only 27 workers (the contract asks for at least 30 per group), so about 3 more are needed.",
                new() { Timeout = 5_000 }
            );
        await Assertions
            .Expect(section.GetByTestId("fairness-group").Filter(new() { HasText = "gender = female" }))
            .ToContainTextAsync("245", new() { Timeout = 5_000 });
        await Assertions.Expect(section).Not.ToContainTextAsync("NaN", new() { Timeout = 5_000 });
        await DashboardBrowser.ScreenshotAsync(page, "fairness.png");
        Assert.Empty(_browser.Errors);
    }
}
