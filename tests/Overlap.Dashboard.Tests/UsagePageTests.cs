using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The users-and-impact page of a feature, in Chromium: the pandas fixture's eight weeks of payments (with users,
/// feedback and business events; Overlap.Core.Tests/Fixtures/usage) moved to end this week, shown as the API reports
/// them: the statements, a row per week, the model versions and the weekly cohorts.
/// </summary>
public sealed class UsagePageTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private const string Feature = "payments-usage";
    private readonly DashboardBrowser _browser = new(server);

    public Task InitializeAsync() => _browser.StartAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private static string Lines(TimeSpan shift)
    {
        var fixture = JsonDocument
            .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "usage.json")))
            .RootElement.GetProperty("events");
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var lines = new StringBuilder();
        string When(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var p in fixture.GetProperty("predictions").EnumerateArray())
        {
            var id = p.GetProperty("id").GetString()!;
            var time = DateTimeOffset.Parse(p.GetProperty("time").GetString()!, CultureInfo.InvariantCulture) + shift;
            times[id] = time;
            var user = p.GetProperty("user").GetString();
            var attributes = user is null ? "" : $$""","attributes":{"user_id":"{{user}}"}""";
            lines.Append(
                CultureInfo.InvariantCulture,
                $$"""{"type":"prediction","id":"{{id}}","feature":"{{Feature}}","time":"{{When(time)}}","score":{{p.GetProperty("score").GetDouble()}},"model_version":"{{p.GetProperty("version").GetString()}}"{{attributes}}}"""
            );
            lines.Append('\n');
            if (p.GetProperty("label").GetString() is { } label)
            {
                lines.Append(
                    $$"""{"type":"outcome","id":"o-{{id}}","feature":"{{Feature}}","prediction_id":"{{id}}","label":"{{label}}","time":"{{When(time.AddHours(1))}}"}"""
                );
                lines.Append('\n');
            }
        }
        var n = 0;
        foreach (var f in fixture.GetProperty("feedback").EnumerateArray())
        {
            var id = f.GetProperty("prediction").GetString()!;
            lines.Append(
                $$"""{"type":"feedback","id":"f{{n++}}","feature":"{{Feature}}","prediction_id":"{{id}}","kind":"{{f.GetProperty("kind").GetString()}}","time":"{{When(times[id].AddMinutes(5))}}"}"""
            );
            lines.Append('\n');
        }
        foreach (var b in fixture.GetProperty("business").EnumerateArray())
        {
            var id = b.GetProperty("prediction").GetString()!;
            lines.Append(
                CultureInfo.InvariantCulture,
                $$"""{"type":"business","id":"b{{n++}}","feature":"{{Feature}}","prediction_id":"{{id}}","name":"{{b.GetProperty("name").GetString()}}","value":{{b.GetProperty("value").GetDouble()}},"time":"{{When(times[id].AddMinutes(30))}}"}"""
            );
            lines.Append('\n');
        }
        return lines.ToString();
    }

    [Fact]
    public async Task UsersAndImpact_ShowsTheApisFigures_PerWeek_ByVersion_AndCohorts()
    {
        using var admin = server.Client(server.AdminKey);
        var yaml =
            (
                await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            ).Replace("feature: payments-fraud", $"feature: {Feature}", StringComparison.Ordinal)
            + "\nusage: { user: user_id }\n";
        (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).EnsureSuccessStatusCode();
        // The fixture's eight weeks end on a Monday (2026-03-02); moved whole weeks so that they end this week's Monday.
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var shift = new DateTimeOffset(monday, TimeSpan.Zero) - new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(Lines(shift), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        using var viewer = server.Client(server.ViewerKey);
        using var json = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/usage"));
        var report = json.RootElement;
        Assert.Equal(965, report.GetProperty("predictions").GetInt64());

        var page = await _browser.SignedInAsync(server.ViewerKey);
        await page.GotoAsync($"/features/{Feature}");
        await page.ClickAsync("[data-testid=usage-link]", new() { Timeout = 30_000 });
        await page.WaitForURLAsync($"{server.Address}/features/{Feature}/usage", new() { Timeout = 30_000 });
        var statements = page.Locator("[data-testid=usage-statements] .mud-list-item");
        await Assertions.Expect(statements.First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // The page says what the API says, sentence for sentence (the page reads the range a moment later: same data).
        Assert.Equal(
            report.GetProperty("statements").EnumerateArray().Select(s => s.GetString()!),
            (await statements.AllInnerTextsAsync()).Select(s => s.Trim())
        );
        // Twelve weeks, newest first; each row's payments and users are the API's.
        var rows = page.Locator("[data-testid=usage-period]");
        Assert.Equal(12, await rows.CountAsync());
        foreach (var period in report.GetProperty("periods").EnumerateArray())
        {
            var start = DateTimeOffset.Parse(period.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
            var cells = await page.Locator($"[data-testid=usage-period][data-start='{start:yyyy-MM-dd}'] td")
                .AllInnerTextsAsync();
            Assert.Equal(
                period.GetProperty("predictions").GetInt64().ToString("#,0", CultureInfo.InvariantCulture),
                cells[1]
            );
            Assert.Equal(
                period.GetProperty("users").GetInt64().ToString("#,0", CultureInfo.InvariantCulture),
                cells[2]
            );
        }
        Assert.Equal(2, await page.Locator("[data-testid=usage-version]").CountAsync());
        var cohorts = report.GetProperty("users").GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal(cohorts.Count, await page.Locator("[data-testid=cohort]").CountAsync());
        var first = await page.Locator("[data-testid=cohort]").First.Locator("td").AllInnerTextsAsync();
        Assert.Equal(cohorts[0].GetProperty("size").GetInt64().ToString(CultureInfo.InvariantCulture), first[1]);
        Assert.Equal(
            $"{Math.Round(cohorts[0].GetProperty("retained")[0].GetProperty("value").GetDouble() * 100):0}%",
            first[2]
        );
        await DashboardBrowser.ScreenshotAsync(page, "usage.png");
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }
}
