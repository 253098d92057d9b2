using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Contracts;
using Overlap.Core.Experiments;
using Overlap.Core.Metrics;
using Overlap.Events.Experiments;
using Overlap.Server.Tests.Webhooks;
using Overlap.Storage;

namespace Overlap.Server.Tests.Experiments;

/// <summary>
/// Experiments on a running server with a fake clock: the arm a unit is assigned, the analysis of predictions sent
/// through the ingest API, and the decision a deployment pipeline gates on — a better model rolled out, a slower one
/// rolled back on its latency guardrail.
/// </summary>
public sealed class ExperimentEndpointTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                Time = _clock,
                ExperimentCheckInterval = TimeSpan.FromHours(1),
                WebhookAllow = ["127.0.0.1/32"],
                WebhookBackoff = TimeSpan.FromMilliseconds(50),
            }
        );

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Contract(string feature, string experiment, string? hook = null, string? ended = null) =>
        $$"""
            feature: {{feature}}
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { label: is_spam, score: p_spam }
            words: { positive: spam email, negative: legitimate email, action: moved to spam, example: email }
            experiments:
              - name: {{experiment}}
                control: nb@1
                treatment: nb@2
                primary: [{ metric: recall, min_effect: 0.03 }]
                guardrails:
                  - { metric: false_positive_rate, margin: 0.05 }
                  - { metric: latency_p95_ms, margin: 50 }
            {{(ended is null ? "" : $"    ended: {ended}")}}
            {{(hook is null ? "" : $"monitoring: {{ alerts: [ {{ webhook: \"{hook}\" }} ] }}")}}
            """;

    /// <summary>
    /// 4,000 emails from Nov 2 to Nov 10, each assigned by its id; a third are spam. The control catches 80% of spam,
    /// the treatment 95%; both flag 5% of legitimate mail; the treatment answers <paramref name="slower"/> ms later.
    /// Returns each arm's true counts as sent.
    /// </summary>
    private async Task<Dictionary<string, Confusion>> SendAsync(string feature, string experiment, double slower)
    {
        var random = new Random(7);
        var lines = new StringBuilder();
        var sent = new Dictionary<string, Confusion> { ["nb@1"] = default, ["nb@2"] = default };
        for (var i = 0; i < 4_000; i++)
        {
            var id = $"{feature}-{i}";
            var version = ArmAssignment.Arm(experiment, id, [50, 50]) == 0 ? "nb@1" : "nb@2";
            var spam = random.NextDouble() < 1.0 / 3;
            var caught = spam ? random.NextDouble() < (version == "nb@1" ? 0.80 : 0.95) : random.NextDouble() < 0.05;
            sent[version] += Confusion.One(spam, caught);
            var time = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).AddMinutes(i * 3);
            var latency = 80 + (40 * random.NextDouble()) + (version == "nb@2" ? slower : 0);
            lines.AppendLine(
                JsonSerializer.Serialize(
                    new Dictionary<string, object>
                    {
                        ["type"] = "prediction",
                        ["id"] = id,
                        ["feature"] = feature,
                        ["time"] = time.ToString("O"),
                        ["score"] = caught ? 0.9 : 0.1,
                        ["model_version"] = version,
                        ["latency_ms"] = Math.Round(latency, 1),
                    }
                )
            );
            lines.AppendLine(
                JsonSerializer.Serialize(
                    new Dictionary<string, object>
                    {
                        ["type"] = "outcome",
                        ["id"] = $"o-{id}",
                        ["prediction_id"] = id,
                        ["feature"] = feature,
                        ["label"] = spam ? "spam" : "ham",
                        ["time"] = time.AddHours(1).ToString("O"),
                    }
                )
            );
        }
        using var ingest = _server.Client(KeyRole.Ingest);
        var content = new StringContent(lines.ToString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var response = await ingest.PostAsync("/v1/events", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("\"accepted\":8000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return sent;
    }

    private async Task PutAsync(string feature, string experiment, string? hook = null, string? ended = null)
    {
        using var admin = _server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            $"/v1/features/{feature}/contract",
            new StringContent(Contract(feature, experiment, hook, ended), Encoding.UTF8, "application/yaml")
        );
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BetterModel_RollsOut_SlowerModel_RollsBack_AsTheAnalysisOfWhatWasSent()
    {
        await PutAsync("spam-filter", "spam-v2");
        await PutAsync("spam-slow", "spam-v3");
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero));
        var sent = await SendAsync("spam-filter", "spam-v2", slower: 0);
        await SendAsync("spam-slow", "spam-v3", slower: 200);
        using var viewer = _server.Client(KeyRole.Viewer);

        var analysis = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2"));
        var recall = analysis.GetProperty("primary")[0];
        var (control, treatment) = (sent["nb@1"], sent["nb@2"]);
        var expected = ArmDifference.OfProportions(
            treatment.Tp,
            treatment.Positives,
            control.Tp,
            control.Positives,
            0.95,
            0.03
        );
        Assert.Equal((double)control.Tp / control.Positives, recall.GetProperty("control").GetDouble(), 12);
        Assert.Equal((double)treatment.Tp / treatment.Positives, recall.GetProperty("treatment").GetDouble(), 12);
        Assert.Equal(expected.AlwaysValid.Low, recall.GetProperty("always_valid")[0].GetDouble(), 12);
        Assert.Equal(expected.FixedHorizon.High, recall.GetProperty("fixed_horizon")[1].GetDouble(), 12);
        Assert.Equal("better", recall.GetProperty("verdict").GetString());
        var split = analysis.GetProperty("split");
        Assert.False(split.GetProperty("mismatch").GetBoolean());
        Assert.Equal((double)control.Total / 4_000, split.GetProperty("observed")[0].GetDouble(), 12);

        var rollout = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2/decision"));
        Assert.Equal("rollout", rollout.GetProperty("decision").GetString());
        Assert.Equal(10.0, rollout.GetProperty("elapsed_days").GetDouble());
        Assert.StartsWith(
            "Roll out nb@2: recall is ",
            rollout.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );

        var rollback = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v3/decision"));
        Assert.Equal("rollback", rollback.GetProperty("decision").GetString());
        Assert.Equal(["latency_p95_ms"], rollback.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(
            "beyond the 50 ms guardrail; keep nb@1.",
            rollback.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );

        var all = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments"));
        Assert.Equal(
            [("spam-filter", "spam-v2", "rollout"), ("spam-slow", "spam-v3", "rollback")],
            all.EnumerateArray()
                .Select(e =>
                    (
                        e.GetProperty("feature").GetString(),
                        e.GetProperty("experiment").GetString(),
                        e.GetProperty("decision").GetString()
                    )
                )
        );
    }

    [Fact]
    public async Task AnEndedExperiment_KeepsTheDecisionItEndedOn_ThoughAllTrafficNowGoesToTheTreatment()
    {
        await PutAsync("spam-filter", "spam-v2");
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero));
        await SendAsync("spam-filter", "spam-v2", slower: 0);
        using var viewer = _server.Client(KeyRole.Viewer);
        var decided = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2"));
        Assert.Equal("rollout", decided.GetProperty("summary").GetProperty("decision").GetString());

        // The team rolls nb@2 out to everyone and says so in the contract; a day of traffic, all on nb@2, follows.
        await PutAsync("spam-filter", "spam-v2", ended: "2026-11-11T09:00:00Z");
        var lines = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            lines.AppendLine(
                JsonSerializer.Serialize(
                    new Dictionary<string, object>
                    {
                        ["type"] = "prediction",
                        ["id"] = $"after-{i}",
                        ["feature"] = "spam-filter",
                        ["time"] = new DateTimeOffset(2026, 11, 11, 10, 0, 0, TimeSpan.Zero)
                            .AddMinutes(i)
                            .ToString("O"),
                        ["score"] = 0.9,
                        ["model_version"] = "nb@2",
                    }
                )
            );
        }
        await ExperimentApi.SendAsync(_server, lines.ToString());
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 12, 9, 0, 0, TimeSpan.Zero));

        // Judged as of its end: the same figures and decision, the statement says when it ended.
        var ended = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2"));
        var summary = ended.GetProperty("summary");
        Assert.Equal("rollout", summary.GetProperty("decision").GetString());
        Assert.Equal(
            new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero),
            summary.GetProperty("ended").GetDateTimeOffset()
        );
        Assert.Equal(
            "Ended on 2026-11-11 09:00 UTC, on this decision: "
                + decided.GetProperty("summary").GetProperty("statement").GetString(),
            summary.GetProperty("statement").GetString()
        );
        Assert.Equal(decided.GetProperty("split").ToString(), ended.GetProperty("split").ToString());
        Assert.Equal(decided.GetProperty("primary").ToString(), ended.GetProperty("primary").ToString());

        // Had it not ended, the day on nb@2 alone would read as a broken split.
        await PutAsync("spam-filter", "spam-v2");
        var unended = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2/decision"));
        Assert.Equal("stop", unended.GetProperty("decision").GetString());
        Assert.False(unended.TryGetProperty("ended", out _));

        // An end written before the experiment first appeared in a contract ends it as it starts: nothing to judge, no
        // negative days.
        await PutAsync("spam-slow", "spam-v3", ended: "2026-10-01T00:00:00Z");
        var early = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v3/decision"));
        Assert.Equal(
            ("running", 0.0),
            (early.GetProperty("decision").GetString(), early.GetProperty("elapsed_days").GetDouble())
        );
        Assert.StartsWith(
            "Ended on 2026-10-01 00:00 UTC, on this decision: Keep running",
            early.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/experiments/spam-v3/history")).StatusCode);
    }

    [Theory]
    [InlineData("2026-11-11T09:37:12Z", 10 * 60, 2 * 60 + 48)]
    [InlineData("2026-11-11T10:00:00Z", 10 * 60, 10 * 60)]
    [InlineData("2026-11-11T09:30:00Z", 24 * 3600, (14 * 3600) + (30 * 60))]
    public void TheWatcher_JudgesOnTheMarksOfTheClock_WheneverTheServerStarted(
        string now,
        int everySeconds,
        int waitSeconds
    ) =>
        Assert.Equal(
            TimeSpan.FromSeconds(waitSeconds),
            Overlap.Server.Experiments.ExperimentWatcher.UntilNextMark(
                DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(everySeconds)
            )
        );

    [Fact]
    public async Task Assign_AgreesWithTheSdkRule_ForAnyKey_AndRefusesInWords()
    {
        await PutAsync("spam-filter", "spam-v2");
        using var ingest = _server.Client(KeyRole.Ingest);
        foreach (var unit in new[] { "user-1", "user-2", "msg-<9@example.com>", "ünïcode" })
        {
            var answer = await ExperimentApi.Json(
                await ingest.GetAsync($"/v1/experiments/spam-v2/assign?unit={Uri.EscapeDataString(unit)}")
            );
            var arm = ArmAssignment.Arm("spam-v2", unit, [50, 50]);
            Assert.Equal(arm == 0 ? "control" : "treatment", answer.GetProperty("arm").GetString());
            Assert.Equal(arm == 0 ? "nb@1" : "nb@2", answer.GetProperty("version").GetString());
            Assert.Equal(unit, answer.GetProperty("unit").GetString());
        }
        var missing = await ingest.GetAsync("/v1/experiments/spam-v2/assign");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("assign?unit=user-42", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await ingest.GetAsync("/v1/experiments/nope/assign?unit=u");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains(
            "no contract declares an experiment named 'nope'",
            await unknown.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        // An ingest key may assign, not read the analysis.
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/v1/experiments/spam-v2/decision")).StatusCode);
        using var anonymous = _server.Client(null);
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await anonymous.GetAsync("/v1/experiments/spam-v2/assign?unit=u")).StatusCode
        );
    }

    [Fact]
    public async Task TheSameExperimentNameInTwoContracts_IsAConflictSayingWhich()
    {
        await PutAsync("spam-filter", "shared");
        await PutAsync("spam-slow", "shared");
        using var viewer = _server.Client(KeyRole.Viewer);
        var answer = await viewer.GetAsync("/v1/experiments/shared/decision");
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains(
            "the contracts of spam-filter and spam-slow each declare an experiment named 'shared'",
            await answer.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Rollback_FiresTheWebhookOnce_WithTheDecision_AndTheGateAnswersByStatus()
    {
        var bodies = new ConcurrentQueue<JsonElement>();
        await using var receiver = await WebhookReceiver.StartAsync(async context =>
        {
            bodies.Enqueue((await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone());
            context.Response.StatusCode = 204;
        });
        await PutAsync("spam-slow", "spam-v3", receiver.Address + "/deploy");
        // Ten days pass with no traffic: the watcher's first look finds the experiment running, and says so.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero));
        var running = await EventuallyAsync(() => bodies.TryPeek(out var b) ? b : (JsonElement?)null);
        Assert.Equal(
            "[RUNNING] spam-slow: experiment spam-v3 (nb@2 against nb@1). Keep running: an arm has fewer than 100 for recall, false positive rate, latency p95.",
            running.GetProperty("text").GetString()
        );
        Assert.Equal(
            ("warning", "no_data"),
            (running.GetProperty("state").GetString(), running.GetProperty("previous").GetString())
        );
        await SendAsync("spam-slow", "spam-v3", slower: 200);
        using var viewer = _server.Client(KeyRole.Viewer);

        // A pipeline that gates on a status code: 409 while the decision is not one it passes on, 200 when it is.
        var closed = await viewer.GetAsync("/v1/experiments/spam-v3/gate?pass=rollout");
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        var problem = JsonDocument.Parse(await closed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("The decision is rollback", problem.GetProperty("title").GetString());
        Assert.StartsWith(
            "Roll back nb@2: latency p95",
            problem.GetProperty("detail").GetString(),
            StringComparison.Ordinal
        );
        var open = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v3/gate?pass=rollback,stop"));
        Assert.Equal("rollback", open.GetProperty("decision").GetString());
        var none = await viewer.GetAsync("/v1/experiments/spam-v3/gate");
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("gate?pass=rollout", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var wrong = await viewer.GetAsync("/v1/experiments/spam-v3/gate?pass=rollout,maybe");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("'maybe' is not a decision", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing more is sent before the watcher looks again; an hour later it judges the traffic and the webhook
        // fires with the rollback.
        Assert.Single(bodies);
        _clock.Advance(TimeSpan.FromHours(1));
        var body = await EventuallyAsync(() => bodies.Skip(1).Select(b => (JsonElement?)b).FirstOrDefault());
        Assert.Equal(["/deploy", "/deploy"], receiver.Paths);
        Assert.StartsWith(
            "[ROLLBACK] spam-slow: experiment spam-v3 (nb@2 against nb@1). Roll back nb@2: latency p95",
            body.GetProperty("text").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal("experiment spam-v3", body.GetProperty("check").GetString());
        Assert.Equal(
            ("alert", "warning"),
            (body.GetProperty("state").GetString(), body.GetProperty("previous").GetString())
        );
        var experiment = body.GetProperty("experiment");
        Assert.Equal(
            ("spam-v3", "rollback", "nb@1", "nb@2"),
            (
                experiment.GetProperty("name").GetString(),
                experiment.GetProperty("decision").GetString(),
                experiment.GetProperty("control").GetString(),
                experiment.GetProperty("treatment").GetString()
            )
        );
        Assert.Equal(["latency_p95_ms"], experiment.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        // The decision is kept as the feature's alert check, and its change is in the history, delivered.
        // (Found by its check: another check's change recorded at the same instant may come first in the history.)
        var delivered = await EventuallyAsync(async () =>
        {
            var alerts = await ExperimentApi.Json(await viewer.GetAsync("/v1/features/spam-slow/alerts"));
            var latest = alerts
                .GetProperty("history")
                .EnumerateArray()
                .First(h => h.GetProperty("check").GetString() == "experiment spam-v3");
            return latest.GetProperty("delivery").GetString() == "delivered" ? latest : (JsonElement?)null;
        });
        Assert.Equal(
            ("alert", "warning"),
            (delivered.GetProperty("state").GetString(), delivered.GetProperty("previous").GetString())
        );

        // The next look finds the same decision: nothing new is recorded or sent.
        _clock.Advance(TimeSpan.FromHours(1));
        var judgedAgain = _clock.GetUtcNow();
        await EventuallyAsync(async () =>
        {
            var alerts = await ExperimentApi.Json(await viewer.GetAsync("/v1/features/spam-slow/alerts"));
            return alerts
                .GetProperty("states")
                .EnumerateArray()
                .Any(a => a.GetProperty("updated_at").GetDateTimeOffset() == judgedAgain)
                ? alerts
                : (JsonElement?)null;
        });
        Assert.Equal(2, bodies.Count);
    }

    private static Task<JsonElement> EventuallyAsync(Func<JsonElement?> probe) =>
        EventuallyAsync(() => Task.FromResult(probe()));

    private static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement?>> probe)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "nothing came within 30 s");
            await Task.Delay(50);
        }
    }
}
