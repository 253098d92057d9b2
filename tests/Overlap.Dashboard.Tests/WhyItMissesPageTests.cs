using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// A feature with perfect recall (its key metric) whose false alarms are four times the contract's bar: in Chromium, the
/// feature page gives the failing requirement its own section with its chart over time (the bar drawn) and by segment,
/// and each window's row names the requirement that decided its verdict.
/// </summary>
public sealed class WhyItMissesPageTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private const string Feature = "mail-filter";

    private readonly DashboardBrowser _browser = new(server);

    public async Task InitializeAsync()
    {
        await _browser.StartAsync();
        using var admin = server.Client(server.AdminKey);
        var contract = FalseAlarmMail.Contract(Feature);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(contract))).StatusCode
        );
        // Ten days ending yesterday, 40 labelled emails a day: 20 spam all caught, 4 of 20 legitimate ones flagged.
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        var events = new StringBuilder();
        for (var day = 1; day <= 10; day++)
        {
            var when = today
                .AddDays(-day)
                .AddHours(10)
                .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            for (var i = 0; i < 40; i++)
            {
                var spam = i < 20;
                var score =
                    spam ? "0.9"
                    : i < 24 ? "0.7"
                    : "0.2";
                var channel = i % 2 == 0 ? "web" : "app";
                events
                    .Append(
                        $$$"""{"type":"prediction","id":"m{{{day}}}-{{{i}}}","feature":"{{{Feature}}}","time":"{{{when}}}","score":{{{score}}},"attributes":{"channel":"{{{channel}}}"}}"""
                    )
                    .Append('\n');
                events
                    .Append(
                        $$"""{"type":"outcome","id":"mo{{day}}-{{i}}","prediction_id":"m{{day}}-{{i}}","label":"{{(spam ? "spam" : "ham")}}","time":"{{when}}"}"""
                    )
                    .Append('\n');
            }
        }
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await admin.PostAsync(
                    "/v1/events",
                    new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
                )
            ).StatusCode
        );
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task FailingNonKeyRequirement_HasItsOwnSection_AndEachWindowSaysWhyItFailed()
    {
        var page = await _browser.SignedInAsync(server.ViewerKey);
        await page.GotoAsync($"/features/{Feature}", new() { Timeout = 60_000 });

        var section = page.Locator("[data-testid=requirement-0]");
        await Assertions.Expect(section).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions
            .Expect(section.Locator("h6"))
            .ToHaveTextAsync("Why it misses: false_positive_rate max 0.05", new() { Timeout = 10_000 });
        var statement = await section
            .Locator("[data-testid=requirement-0-statement]")
            .InnerTextAsync(new() { Timeout = 10_000 });
        Assert.StartsWith(
            "Not met over the last 30 days: false_positive_rate 0.2 (",
            statement,
            StringComparison.Ordinal
        );
        Assert.Contains("above the bar 0.05", statement, StringComparison.Ordinal);
        // Recall passes, so it has no section of its own.
        Assert.Equal(0, await page.Locator("[data-testid=requirement-1]").CountAsync());

        // Over time: the realised false-positive rate in the ten labelled days, and the bar drawn at 0.05.
        var plot = section.Locator("[data-testid=requirement-chart] .js-plotly-plot");
        await Assertions.Expect(plot.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        using var chart = JsonDocument.Parse(
            await plot.EvaluateAsync<string>("e => JSON.stringify({ data: e.data, shapes: e.layout.shapes || [] })")
        );
        var realised = chart
            .RootElement.GetProperty("data")[1]
            .GetProperty("y")
            .EnumerateArray()
            .Where(v => v.ValueKind == JsonValueKind.Number)
            .Select(v => v.GetDouble())
            .ToList();
        Assert.Equal(10, realised.Count);
        Assert.All(realised, v => Assert.Equal(0.2, v, 9));
        Assert.Contains(chart.RootElement.GetProperty("shapes").EnumerateArray(), s =>
            s.GetProperty("y0").GetDouble() == 0.05 && s.GetProperty("y1").GetDouble() == 0.05
        );

        // By segment: both channels, each against the bar.
        var segments = section.Locator("[data-testid=requirement-segment-chart] .js-plotly-plot");
        await Assertions.Expect(segments.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        using var bySegment = JsonDocument.Parse(await segments.EvaluateAsync<string>("e => JSON.stringify(e.data)"));
        Assert.Equal(
            ["channel = app", "channel = web"],
            bySegment.RootElement[0].GetProperty("x").EnumerateArray().Select(x => x.GetString())
        );

        // Each labelled window's row names the requirement that failed it, beside a recall of 1.
        var verdicts = await page.Locator("[data-testid=window-verdict]").AllInnerTextsAsync();
        Assert.Equal(
            10,
            verdicts.Count(v =>
                v.StartsWith("fail: false_positive_rate 0.2 (", StringComparison.Ordinal)
                && v.EndsWith("above the bar 0.05", StringComparison.Ordinal)
            )
        );
        Assert.Empty(_browser.Errors);
    }
}
