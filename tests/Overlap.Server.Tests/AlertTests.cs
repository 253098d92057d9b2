using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// Alerts end to end: a window judged on demand, one state per check, a state change recorded once, and a
/// Slack-compatible webhook delivered to a real receiver on loopback (allowed by the server's settings) that fails its
/// first attempt.
/// </summary>
public sealed class AlertTests : IAsyncLifetime
{
    private const string Feature = "fraud";
    private readonly ConcurrentQueue<string> _received = new();
    private WebApplication _receiver = null!;
    private RunningServer _server = null!;
    private int _calls;
    private string _hook = string.Empty;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            // The first call fails, as a flaky receiver would; the server must try again.
            if (Interlocked.Increment(ref _calls) == 1)
            {
                return Results.StatusCode(500);
            }
            _received.Enqueue(body);
            return Results.Ok();
        });
        await _receiver.StartAsync();
        _hook = $"{OverlapServer.Addresses(_receiver)[0]}/hook";
        _server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                WebhookBackoff = TimeSpan.FromMilliseconds(50),
                WebhookAllow = ["127.0.0.1/32"],
            }
        );
        await PutContractAndEventsAsync(_server, _hook);
    }

    /// <summary>The contract (recall ≥ 0.8, alerts to the receiver) and two days: 1 March poor, 2 March good.</summary>
    internal static async Task PutContractAndEventsAsync(RunningServer server, string hook)
    {
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(ContractText(hook)))).StatusCode
        );
        await PostEventsAsync(server);
    }

    /// <summary>The contract: recall ≥ 0.8, alerts to <paramref name="hook"/>.</summary>
    internal static string ContractText(string hook) =>
        $$"""
            feature: {{Feature}}
            task: binary
            labels: { positive: "1", negative: "0" }
            columns: { id: id, label: y, score: s }
            threshold: 0.5
            requirements:
              - { metric: recall, min: 0.8 }
            monitoring:
              window: 1d
              min_samples: 50
              alerts: [ { webhook: "{{hook}}" } ]
            """;

    /// <summary>Two days: 1 March poor (positives scored low), 2 March good (positives scored high).</summary>
    internal static async Task PostEventsAsync(RunningServer server)
    {
        var events = new StringBuilder();
        foreach (var (day, positiveScore) in new[] { ("2026-03-01", 0.1), ("2026-03-02", 0.9) })
        {
            for (var i = 0; i < 200; i++)
            {
                var positive = i % 2 == 0;
                var score = positive ? positiveScore : 0.2;
                events
                    .Append(
                        $$$"""{"type":"prediction","id":"{{{day}}}-{{{i}}}","feature":"{{{Feature}}}","time":"{{{day}}}T10:00:00Z","score":{{{score}}}}"""
                    )
                    .Append('\n');
                events
                    .Append(
                        $$$"""{"type":"outcome","id":"o-{{{day}}}-{{{i}}}","prediction_id":"{{{day}}}-{{{i}}}","label":"{{{(positive ? 1 : 0)}}}","time":"{{{day}}}T12:00:00Z"}"""
                    )
                    .Append('\n');
            }
        }
        using var ingest = server.Client(KeyRole.Ingest);
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await ingest.PostAsync(
                    "/v1/events",
                    new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
                )
            ).StatusCode
        );
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<JsonElement> EvaluateAsync(string day)
    {
        using var admin = _server.Client(KeyRole.Admin);
        var response = await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window={day}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<JsonElement> AlertsAsync()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        return JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/alerts")).RootElement;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for the webhook");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task FailingWindow_Alerts_OnceAndWithRetries_ThenResolves()
    {
        var bad = await EvaluateAsync("2026-03-01");
        var recall = bad.GetProperty("checks")[0];
        Assert.Equal(
            ("recall min 0.8", "alert"),
            (recall.GetProperty("check").GetString(), recall.GetProperty("state").GetString())
        );
        Assert.Equal("no_data", bad.GetProperty("checks")[1].GetProperty("state").GetString());
        var change = Assert.Single(bad.GetProperty("changes").EnumerateArray());
        Assert.Equal(
            ("alert", "no_data", "pending"),
            (
                change.GetProperty("state").GetString(),
                change.GetProperty("previous").GetString(),
                change.GetProperty("delivery").GetString()
            )
        );

        // Delivered on the second attempt, with a Slack-compatible body.
        await WaitForAsync(async () =>
            (await AlertsAsync()).GetProperty("history")[0].GetProperty("delivery").GetString() == "delivered"
        );
        Assert.Equal(2, (await AlertsAsync()).GetProperty("history")[0].GetProperty("attempts").GetInt32());
        var body = JsonDocument.Parse(Assert.Single(_received)).RootElement;
        // A requirement is judged on the 30 days that end with the window, as the overview judges them, and says so.
        Assert.StartsWith(
            "[ALERT] fraud: recall min 0.8 (judged on 2026-01-31 00:00 to 2026-03-02 00:00 UTC). ",
            body.GetProperty("text").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(
            ("alert", "2026-03-01T00:00:00+00:00"),
            (body.GetProperty("state").GetString(), body.GetProperty("window_start").GetString())
        );
        Assert.Equal(
            ("2026-01-31T00:00:00+00:00", "2026-03-02T00:00:00+00:00"),
            (body.GetProperty("judged_from").GetString(), body.GetProperty("judged_to").GetString())
        );
        Assert.Equal(
            ("2026-01-31T00:00:00+00:00", "2026-03-02T00:00:00+00:00"),
            (recall.GetProperty("judged_from").GetString(), recall.GetProperty("judged_to").GetString())
        );
        var drift = bad.GetProperty("checks")[1];
        Assert.Equal(
            ("2026-03-01T00:00:00+00:00", "2026-03-02T00:00:00+00:00"),
            (drift.GetProperty("judged_from").GetString(), drift.GetProperty("judged_to").GetString())
        );

        // The same window again: the state is known, so nothing is recorded or sent.
        var again = await EvaluateAsync("2026-03-01");
        Assert.Empty(again.GetProperty("changes").EnumerateArray());
        Assert.Equal(1, (await AlertsAsync()).GetProperty("history").GetArrayLength());

        // A good next day does not resolve it: its 30 days still hold 1 March's misses (recall 100 of 200), as the overview's do.
        var next = await EvaluateAsync("2026-03-02");
        Assert.Equal("alert", next.GetProperty("checks")[0].GetProperty("state").GetString());
        // (The estimate's reliability, a check of its own, may change as its recent days gain labels.)
        Assert.DoesNotContain(next.GetProperty("changes").EnumerateArray(), c =>
            c.GetProperty("check").GetString() == "recall min 0.8"
        );
        var state = (await AlertsAsync())
            .GetProperty("states")
            .EnumerateArray()
            .Single(s => s.GetProperty("check").GetString() == "recall min 0.8");
        Assert.Equal(
            ("2026-02-01T00:00:00+00:00", "2026-03-03T00:00:00+00:00"),
            (state.GetProperty("judged_from").GetString(), state.GetProperty("judged_to").GetString())
        );

        // Once 1 March has left the 30 days, the requirement is met again: resolved, and said so.
        var good = await EvaluateAsync("2026-03-31");
        Assert.Equal("ok", good.GetProperty("checks")[0].GetProperty("state").GetString());
        await WaitForAsync(() => Task.FromResult(_received.Count == 2));
        Assert.StartsWith(
            "[RESOLVED] fraud: recall min 0.8 is ok again",
            JsonDocument.Parse(_received.Last()).RootElement.GetProperty("text").GetString(),
            StringComparison.Ordinal
        );
        var alerts = await AlertsAsync();
        // The recall check's history (the estimate's reliability is a check of its own).
        Assert.Equal(
            ["ok", "alert"],
            alerts
                .GetProperty("history")
                .EnumerateArray()
                .Where(h => h.GetProperty("check").GetString() == "recall min 0.8")
                .Select(h => h.GetProperty("state").GetString())
        );
        Assert.Equal(
            "ok",
            alerts
                .GetProperty("states")
                .EnumerateArray()
                .Single(s => s.GetProperty("check").GetString() == "recall min 0.8")
                .GetProperty("state")
                .GetString()
        );
    }

    [Fact]
    public async Task Scheduler_EvaluatesEachWindowWhenItCloses_OnTheServersClock()
    {
        // A second server on a fake clock, starting early on 1 March; its checks run when windows close.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                Time = clock,
                WebhookBackoff = TimeSpan.FromMilliseconds(50),
                WebhookAllow = ["127.0.0.1/32"],
            }
        );
        await PutContractAndEventsAsync(server, _hook);
        using var viewer = server.Client(KeyRole.Viewer);
        async Task<string[]> History() =>
            [
                .. JsonDocument
                    .Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/alerts"))
                    .RootElement.GetProperty("history")
                    .EnumerateArray()
                    .Where(h => h.GetProperty("check").GetString() != Overlap.Core.Monitoring.EstimateAlert.Check)
                    .Select(h => $"{h.GetProperty("window_start").GetString()} {h.GetProperty("state").GetString()}"),
            ];

        // Until 1 March closes, the window due is 28 February: no traffic, no news.
        async Task AdvanceUntilAsync(DateTimeOffset until, int changes)
        {
            // An hour at a time (the scheduler wakes at least every minute), then a minute at a time until the news is in.
            while (clock.GetUtcNow() < until)
            {
                clock.Advance(
                    TimeSpan.FromHours(1) < until - clock.GetUtcNow()
                        ? TimeSpan.FromHours(1)
                        : until - clock.GetUtcNow()
                );
                await Task.Delay(5);
            }
            var waited = Stopwatch.StartNew();
            while ((await History()).Length < changes)
            {
                Assert.True(
                    waited.Elapsed < TimeSpan.FromSeconds(20),
                    $"history stayed at [{string.Join("; ", await History())}]"
                );
                clock.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(10);
            }
        }
        await AdvanceUntilAsync(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero), 0);
        Assert.Empty(await History());
        await AdvanceUntilAsync(new DateTimeOffset(2026, 3, 2, 0, 1, 0, TimeSpan.Zero), 1);
        Assert.Equal(["2026-03-01T00:00:00+00:00 alert"], await History());
        // The window was computed and stored when it closed: an hour later, the metrics view reads that report back.
        // (The scheduler's own pace on the fake clock varies with the machine's load: it also merges the 30 days the
        // requirements are judged on, so the bound is "before the read", not a fixed minute.)
        var judgedBy = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromHours(1));
        var metrics = Overlap.Core.Reports.ReportJson.ReadMonitoring(
            await viewer.GetStringAsync($"/v1/features/{Feature}/metrics?from=2026-03-01&to=2026-03-02")
        )!;
        Assert.True(
            metrics.Windows[0].ComputedAt <= judgedBy,
            $"computed at {metrics.Windows[0].ComputedAt}, after {judgedBy}"
        );
        // When 2 March closes it is judged too: its 30 days still hold 1 March's misses, so the state stays an alert (no news).
        await AdvanceUntilAsync(new DateTimeOffset(2026, 3, 3, 0, 1, 0, TimeSpan.Zero), 1);
        async Task<string?> Judged() =>
            JsonDocument
                .Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/alerts"))
                .RootElement.GetProperty("states")
                .EnumerateArray()
                .Single(s => s.GetProperty("check").GetString() == "recall min 0.8")
                is var s
                ? $"{s.GetProperty("state").GetString()} {s.GetProperty("judged_from").GetString()} {s.GetProperty("judged_to").GetString()}"
                : null;
        var waited = Stopwatch.StartNew();
        while (await Judged() != "alert 2026-02-01T00:00:00+00:00 2026-03-03T00:00:00+00:00")
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"the state stayed at {await Judged()}");
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(10);
        }
        Assert.Equal(["2026-03-01T00:00:00+00:00 alert"], await History());
    }

    [Fact]
    public async Task OnlyAnAdminEvaluates_ReadersSeeStates()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await viewer.PostAsync($"/v1/features/{Feature}/alerts/evaluate", null)).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/v1/features/{Feature}/alerts")).StatusCode);
        using var admin = _server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window=soon", null)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync("/v1/features/nothing/alerts/evaluate", null)).StatusCode
        );
    }
}
