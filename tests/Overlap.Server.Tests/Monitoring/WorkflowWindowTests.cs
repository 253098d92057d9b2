using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Storage;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// A generative feature's guarded calls on a real server: the 2,400 calls of Overlap.Core.Tests'
/// Fixtures/workflow/make_workflow_fixtures.py sent as the guard logs them (one prediction each, with its workflow
/// object, the channel as an attribute and the cost of every attempt summed). The window's workflow figures read back as
/// statsmodels computes them, its evaluation judges the workflow requirements, cost per 1,000 includes the retries, the
/// escalated and abstained calls wait in the review queue with the guard's reason although the contract has no review
/// section, and the export carries the route.
/// </summary>
public sealed class WorkflowWindowTests
{
    private static readonly JsonElement Fixture = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "workflow", "workflow.json")))
        .RootElement;

    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private const string Contract = """
        feature: reply-drafter
        task: generative
        columns: { id: id, output: reply, segments: [channel] }
        words: { output: draft }
        checks: [{ name: short, max_length: 500 }]
        requirements:
          - { metric: fallback_rate, max: 0.05 }
          - { metric: escalation_rate, max: 0.012 }
          - { metric: retry_rate, max: 0.05 }
          - { metric: fallback_rate, by: channel, max: 0.02 }
        """;

    /// <summary>What each route's call says as its reason (the routes that send a call to people need one).</summary>
    private static string? Reason(string route, int i) =>
        route switch
        {
            "escalate" => $"three drafts failed their checks (call {i})",
            "abstain" => $"the draft's confidence was in the uncertain band (call {i})",
            _ => null,
        };

    internal static IEnumerable<string> Lines(string feature, DateTimeOffset start)
    {
        var i = 0;
        foreach (var call in Fixture.GetProperty("calls").EnumerateArray())
        {
            var route = call.GetProperty("route").GetString()!;
            var attempts = call.GetProperty("attempts").GetInt32();
            var channel = call.GetProperty("channel").GetString();
            var checks = string.Join(
                ",",
                call.GetProperty("failed_checks").EnumerateArray().Select(c => $"\"{c.GetString()}\"")
            );
            var reason = Reason(route, i) is { } r ? $",\"reason\":\"{r}\"" : "";
            var attributes = channel is null ? "" : $",\"attributes\":{{\"channel\":\"{channel}\"}}";
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"type\":\"prediction\",\"id\":\"c{i}\",\"feature\":\"{feature}\",\"time\":\"{start.AddSeconds(i * 10):yyyy-MM-ddTHH:mm:ssZ}\",\"output\":\"Your order ships today.\",\"cost\":{0.001 * attempts},\"workflow\":{{\"route\":\"{route}\",\"attempts\":{attempts},\"failed_checks\":[{checks}]{reason}}}{attributes}}}"
            );
            i++;
        }
    }

    /// <summary>The fixture's calls, counted: routes, every workflow metric with its interval, the chat channel's fallback rate and the check that failed most.</summary>
    private static void AssertFigures(JsonElement workflow)
    {
        var expected = Fixture.GetProperty("overall");
        Assert.Equal(2400, workflow.GetProperty("guarded").GetInt64());
        foreach (var route in expected.GetProperty("routes").EnumerateObject())
        {
            Assert.Equal(route.Value.GetInt64(), workflow.GetProperty("routes").GetProperty(route.Name).GetInt64());
        }
        foreach (var metric in expected.GetProperty("metrics").EnumerateObject())
        {
            var actual = workflow.GetProperty("metrics").GetProperty(metric.Name);
            foreach (var key in (string[])["value", "ci_low", "ci_high"])
            {
                Assert.Equal(metric.Value.GetProperty(key).GetDouble(), actual.GetProperty(key).GetDouble(), 6);
            }
        }
        var chat = workflow.GetProperty("segments").GetProperty("channel").GetProperty("chat");
        Assert.Equal(
            Fixture
                .GetProperty("segments")
                .GetProperty("chat")
                .GetProperty("metrics")
                .GetProperty("fallback_rate")
                .GetProperty("ci_high")
                .GetDouble(),
            chat.GetProperty("metrics").GetProperty("fallback_rate").GetProperty("ci_high").GetDouble(),
            6
        );
        Assert.Equal(
            Fixture.GetProperty("failed_checks")[0].GetProperty("check").GetString(),
            workflow.GetProperty("failed_checks")[0].GetProperty("check").GetString()
        );
    }

    [Fact]
    public async Task GuardedCalls_GiveTheWindowsWorkflowFigures_JudgeItsBars_AndReachPeople()
    {
        await using var server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                Time = new FakeTimeProvider(Noon.AddDays(1)),
            }
        );
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync("/v1/features/reply-drafter/contract", new StringContent(Contract))).StatusCode
        );
        var body = string.Join('\n', Lines("reply-drafter", Noon.AddHours(-11)));
        var sent = await admin.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        using var viewer = server.Client(KeyRole.Viewer);
        using var json = JsonDocument.Parse(
            await viewer.GetStringAsync("/v1/features/reply-drafter/metrics?from=2026-11-23&to=2026-11-24&resamples=0")
        );
        var window = Assert.Single(json.RootElement.GetProperty("windows").EnumerateArray());
        var workflow = window.GetProperty("workflow");
        AssertFigures(workflow);
        var expected = Fixture.GetProperty("overall");

        // The window's evaluation judges the workflow bars with the rest, as statsmodels' intervals say.
        var requirements = window.GetProperty("evaluation").GetProperty("requirements").EnumerateArray().ToList();
        foreach (var want in Fixture.GetProperty("requirements").EnumerateArray())
        {
            var by = want.GetProperty("by").GetString();
            var got = requirements.Single(r =>
                r.GetProperty("metric").GetString() == want.GetProperty("metric").GetString()
                && (r.TryGetProperty("by", out var b) ? b.GetString() : null) == by
            );
            Assert.Equal(want.GetProperty("verdict").GetString(), got.GetProperty("verdict").GetString());
        }
        Assert.Contains(
            "1 in 11 drafts needed a second try (7.7% to 10% at 95% confidence).",
            workflow.GetProperty("statements").EnumerateArray().Select(s => s.GetString())
        );
        // The guard logs the cost of every attempt in one call's cost (0.001 each): cost per 1,000 counts the retries,
        // 1,000 × 0.001 × the mean attempts.
        Assert.Equal(
            expected.GetProperty("metrics").GetProperty("attempts_per_call").GetProperty("value").GetDouble(),
            window
                .GetProperty("evaluation")
                .GetProperty("metrics")
                .GetProperty("cost_per_1000")
                .GetProperty("value")
                .GetDouble(),
            9
        );

        // Escalated and abstained calls wait for people with the guard's reason, with no review section in the contract.
        using var queue = JsonDocument.Parse(
            await viewer.GetStringAsync("/v1/features/reply-drafter/review?limit=500")
        );
        var items = queue.RootElement.GetProperty("items").EnumerateArray().ToList();
        var routes = expected.GetProperty("routes");
        Assert.Equal(routes.GetProperty("escalate").GetInt32() + routes.GetProperty("abstain").GetInt32(), items.Count);
        Assert.All(items, item =>
        {
            var reason = item.GetProperty("reason").GetString()!;
            var i = int.Parse(item.GetProperty("prediction_id").GetString()![1..], CultureInfo.InvariantCulture);
            Assert.Equal(Reason(reason, i), item.GetProperty("workflow_reason").GetString());
        });
        Assert.Equal(items.Count, queue.RootElement.GetProperty("counts").GetProperty("workflow").GetInt32());

        // The export names each call's route, attempts and failed checks.
        var csv = (await viewer.GetStringAsync("/v1/features/reply-drafter/export?format=csv")).Split('\n');
        var header = csv[0].Split(',');
        Assert.Contains("workflow_route", header);
        var first = Fixture.GetProperty("calls")[0];
        var row = csv.Skip(1).Single(l => l.StartsWith("c0,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(first.GetProperty("route").GetString(), row[Array.IndexOf(header, "workflow_route")]);
        Assert.Equal(
            first.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture),
            row[Array.IndexOf(header, "workflow_attempts")]
        );
    }

    [Fact]
    public async Task TheSummary_MergesTheWindowsGuardFigures_AndJudgesTheWorkflowBarsOnThem()
    {
        await using var server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                Time = new FakeTimeProvider(Noon.AddDays(1)),
            }
        );
        using var admin = server.Client(KeyRole.Admin);
        // Six-hour windows: the same 2,400 calls (01:00 to 07:40) fall in two of them, and the day's summary merges both.
        var contract = Contract.Replace("feature: reply-drafter", "feature: reply-drafter\nmonitoring: { window: 6h }");
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync("/v1/features/reply-drafter/contract", new StringContent(contract))).StatusCode
        );
        var body = string.Join('\n', Lines("reply-drafter", Noon.AddHours(-11)));
        var sent = await admin.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        using var viewer = server.Client(KeyRole.Viewer);
        using var windows = JsonDocument.Parse(
            await viewer.GetStringAsync("/v1/features/reply-drafter/metrics?from=2026-11-23&to=2026-11-24&resamples=0")
        );
        Assert.Equal(
            2,
            windows.RootElement.GetProperty("windows").EnumerateArray().Count(w => w.TryGetProperty("workflow", out _))
        );
        using var json = JsonDocument.Parse(
            await viewer.GetStringAsync("/v1/features/reply-drafter/summary?from=2026-11-23&to=2026-11-24&resamples=0")
        );
        var workflow = json.RootElement.GetProperty("workflow");
        // The segments merge too, so a bar by channel is judged on the day as on one window.
        AssertFigures(workflow);
        var requirements = workflow.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal(
            Fixture.GetProperty("requirements").EnumerateArray().Select(r => r.GetProperty("verdict").GetString()),
            requirements.Select(r => r.GetProperty("verdict").GetString())
        );
        Assert.Contains(
            "1 in 11 drafts needed a second try (7.7% to 10% at 95% confidence).",
            workflow.GetProperty("statements").EnumerateArray().Select(s => s.GetString())
        );
    }

    [Fact]
    public async Task AScoredFeatureWithoutLabels_AlertsOnItsWorkflowBar()
    {
        await using var server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                Time = new FakeTimeProvider(Noon.AddDays(10)),
            }
        );
        using var admin = server.Client(KeyRole.Admin);
        const string scored = """
            feature: fraud-guard
            task: binary
            labels: { positive: fraud, negative: legit }
            columns: { id: id, label: outcome, score: p_fraud }
            words: { example: payment }
            requirements:
              - { metric: abstention_rate, max: 0.05 }
            monitoring: { window: 1d, min_samples: 100 }
            """;
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync("/v1/features/fraud-guard/contract", new StringContent(scored))).StatusCode
        );
        // 300 guarded payments and no outcome yet: 30 scored inside the uncertain band were left to a person.
        var lines = Enumerable
            .Range(0, 300)
            .Select(i =>
            {
                var abstained = i % 10 == 0;
                var score = abstained ? 0.5 : 0.05;
                var route = abstained ? "abstain" : "direct";
                var reason = abstained ? ",\"reason\":\"the score is in the uncertain band\"" : "";
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"{{\"type\":\"prediction\",\"id\":\"p{i}\",\"feature\":\"fraud-guard\",\"time\":\"{Noon.AddSeconds(i * 60):yyyy-MM-ddTHH:mm:ssZ}\",\"score\":{score},\"workflow\":{{\"route\":\"{route}\",\"attempts\":1,\"failed_checks\":[]{reason}}}}}"
                );
            });
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        var evaluated = await admin.PostAsync("/v1/features/fraud-guard/alerts/evaluate?window=2026-11-23", null);
        Assert.Equal(HttpStatusCode.OK, evaluated.StatusCode);
        using var json = JsonDocument.Parse(await evaluated.Content.ReadAsStringAsync());
        var check = json.RootElement.GetProperty("checks")[0];
        Assert.Equal("abstention_rate max 0.05", check.GetProperty("check").GetString());
        // 30 of 300 is 10%, Wilson 7.1% to 14% at 95%: above the bar however the interval falls, with 300 calls >= 100.
        Assert.Equal("alert", check.GetProperty("state").GetString());
        Assert.Equal(
            "Not met: At most 5% of payments may be left to a person. 1 in 10 payments were left to a person (7.1% to 14% at 95% confidence).",
            check.GetProperty("statement").GetString()
        );
    }
}
