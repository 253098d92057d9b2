using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Overlap.Client;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Reports;
using Overlap.Core.Statistics;
using Overlap.Server.Auth;
using Overlap.Server.Monitoring;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// A generative feature's production window on a real server: ten replies logged through <c>UseOverlap()</c> over a
/// scripted chat client, feedback from the SDK's helpers and known grades from a grade source. Every rate is checked
/// against numerators counted by hand here with Core's Wilson interval (itself checked against statsmodels), the
/// requirements' verdicts and the trust statements are asserted, the closed window reads back equal, and an empty
/// window is said in words.
/// </summary>
public sealed class GenerativeWindowTests : IAsyncLifetime
{
    private const string Feature = "reply-drafter";
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private const string Yaml = """
        feature: reply-drafter
        task: generative
        columns: { id: id, output: reply }
        words: { output: reply }
        checks:
          - { name: short, max_length: 40 }
        rubric:
          - { name: polite, question: "Is the reply polite?", scale: pass_fail }
        acceptable: all
        judges: { people: { sample: 0.05 }, min_agreement: 0.8 }
        requirements:
          - { metric: acceptable_rate, min: 0.5 }
          - { metric: check.short.pass_rate, min: 0.3 }
          - { metric: thumbs_down_rate, max: 0.6 }
          - { metric: regeneration_rate, max: 0.15 }
          - { metric: latency_p95_ms, max: 300 }
        """;

    private readonly FakeTimeProvider _calls = new(Noon);
    private readonly FakeTimeProvider _serverClock = new(Noon.AddDays(2));
    private readonly KnownGrades _grades = new();
    private RunningServer _server = null!;
    private OverlapClient _client = null!;

    /// <summary>Grades as a grade store would give them: the window's, and 40 agreeing pairs from older outputs.</summary>
    private sealed class KnownGrades : IRubricGradeSource
    {
        public List<RubricGrade> Window { get; } = [];

        public List<(DateTimeOffset From, DateTimeOffset To)> Asked { get; } = [];

        public Task<IReadOnlyList<RubricGrade>> GradesAsync(
            string feature,
            DateTimeOffset from,
            DateTimeOffset to,
            CancellationToken cancellationToken
        )
        {
            lock (Asked)
            {
                Asked.Add((from, to));
            }
            IEnumerable<RubricGrade> older = Enumerable
                .Range(0, 40)
                .SelectMany(k =>
                    new[]
                    {
                        new RubricGrade($"old-{k}", "polite", k % 4 == 0 ? 0 : 1, GradeSource.Person),
                        new RubricGrade($"old-{k}", "polite", k % 4 == 0 ? 0 : 1, GradeSource.Model),
                    }
                );
            var inWindow = from <= Noon && Noon < to ? Window : [];
            var wide = to - from > TimeSpan.FromDays(2);
            return Task.FromResult<IReadOnlyList<RubricGrade>>([.. inWindow, .. wide ? older : []]);
        }
    }

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                Time = _serverClock,
                Services = s => s.AddSingleton<IRubricGradeSource>(_grades),
            }
        );
        using var admin = _server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(Yaml))).StatusCode
        );
        _client = new OverlapClient(
            new OverlapClientOptions { Endpoint = _server.Address, ApiKey = _server.Key(KeyRole.Ingest) }
        );
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>One call through the middleware, answered with <paramref name="text"/> under id <paramref name="id"/>.</summary>
    private async Task CallAsync(string id, string text, string conversation)
    {
        using var chat = new ChatClientBuilder(
            new ScriptedChatClient(_calls)
            {
                Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
                {
                    ResponseId = id,
                    ModelId = "gpt-4o-mini",
                    Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 },
                },
            }
        )
            .UseOverlap(Feature, o =>
            {
                o.Client = _client;
                o.Time = _calls;
                o.PromptName = "reply";
                o.PromptVersion = "3";
            })
            .Build();
        await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Where is my order?")],
            new ChatOptions { ConversationId = conversation }
        );
    }

    private async Task<string> MetricsJsonAsync(string from, string to)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        return await viewer.GetStringAsync($"/v1/features/{Feature}/metrics?from={from}&to={to}&resamples=200");
    }

    [Fact]
    public async Task Window_CountsUsageFeedbackChecksAndGrades_AndJudgesTheRequirements()
    {
        // r0–r7 short, r8 and r9 longer than 40 characters (the 'short' check fails them).
        for (var i = 0; i < 10; i++)
        {
            var text = i < 8 ? $"Sure, it ships today ({i})." : $"Thank you so much for asking; it ships today ({i}).";
            await CallAsync($"r{i}", text, $"t-{i / 2}");
        }
        _client.Regenerated("r0", time: Noon.AddMinutes(30));
        _client.Regenerated("r1", time: Noon.AddMinutes(30));
        _client.Edited("r2", "Sure, it ships today (2).", "Sure, it ships today!", time: Noon.AddMinutes(30));
        _client.ThumbsDown("r3", time: Noon.AddMinutes(30));
        _client.ThumbsUp("r4", time: Noon.AddMinutes(30));
        _client.ThumbsUp("r5", time: Noon.AddMinutes(30));
        _client.ThumbsUp("r6", time: Noon.AddMinutes(30));
        _client.Copied("r7", time: Noon.AddMinutes(30));
        await _client.FlushAsync();
        Assert.Equal(0, _client.Stats.Rejected + _client.Stats.Dropped);
        await _server.CountAsync(Feature);
        // People: r0–r5 polite, r6 not. The model: r7 and r8 polite, r9 not, and r0 not (a person's grade wins).
        _grades.Window.AddRange(
            Enumerable.Range(0, 7).Select(i => new RubricGrade($"r{i}", "polite", i < 6 ? 1 : 0, GradeSource.Person))
        );
        _grades.Window.AddRange([
            new("r7", "polite", 1, GradeSource.Model),
            new("r8", "polite", 1, GradeSource.Model),
            new("r9", "polite", 0, GradeSource.Model),
            new("r0", "polite", 0, GradeSource.Model),
        ]);

        var json = await MetricsJsonAsync("2026-11-23", "2026-11-24");
        var window = Assert.Single(ReportJson.ReadMonitoring(json)!.Windows);
        var g = window.Generative!;
        Assert.Equal((10, 5), (g.Outputs, g.Conversations));
        Assert.Equal(new Dictionary<string, int> { ["reply@3"] = 10 }, g.ByModelVersion);
        Assert.Equal(new Dictionary<string, int> { ["gpt-4o-mini"] = 10 }, g.ByModel);
        void Rate(MetricValue m, long successes, long trials)
        {
            var wilson = Wilson.Interval(successes, trials, 0.95);
            Assert.Equal((double)successes / trials, m.Value, 9);
            // The API writes 12 significant digits.
            Assert.Equal(wilson.Low, m.CiLow, 9);
            Assert.Equal(wilson.High, m.CiHigh, 9);
            Assert.Equal(trials, m.N);
        }
        Rate(g.Feedback["regeneration_rate"], 2, 10);
        Rate(g.Feedback["edit_rate"], 1, 10);
        Rate(g.Feedback["thumbs_down_rate"], 1, 10);
        Rate(g.Feedback["thumbs_up_rate"], 3, 10);
        Rate(g.Feedback["copied_rate"], 1, 10);
        // " (2)." → "!": four characters deleted, one replaced.
        Assert.Equal(5.0, g.MeanEditDistance);
        // Over 30 days: the 40 older pairs agree, r0's (person pass, model fail) does not; 40 of 41 clears 0.8.
        var trust = Assert.Single(g.JudgeTrust);
        Assert.Equal((41L, 40L, JudgeAgreementVerdict.CanStandIn), (trust.Outputs, trust.Agreeing, trust.Verdict));
        Assert.StartsWith("polite: the model judge's grades count beside people's", g.Statements[1]);
        // Acceptable (short and polite) by each side's grades alone. People graded r0–r6: r0–r5 acceptable, r6 not
        // polite → 6 of 7. The model graded r0 (not polite), r7 (yes), r8 (too long), r9 (not polite) → 1 of 4.
        Rate(g.AcceptableBy["people"], 6, 7);
        Rate(g.AcceptableBy["model"], 1, 4);
        // The worst: r9 fails both (short; polite by the trusted model), then r6 (polite, people) and r8 (short), in
        // the order they came; each with the chat messages it was asked and both sides' grades.
        Assert.Equal(["r9", "r6", "r8"], g.WorstOutputs.Select(o => o.Id));
        Assert.Equal(2, g.WorstOutputs[0].Failed.Count);
        Assert.Equal(new Dictionary<string, string> { ["polite"] = "fail" }, g.WorstOutputs[0].ModelGrades);
        Assert.Empty(g.WorstOutputs[0].PeopleGrades);
        Assert.Equal(new Dictionary<string, string> { ["polite"] = "fail" }, g.WorstOutputs[1].PeopleGrades);
        Assert.Contains("Where is my order?", g.WorstOutputs[0].Input, StringComparison.Ordinal);
        // The contract names no failure category: nothing is counted.
        Assert.Empty(g.FailureCategories);

        var e = window.Evaluation!;
        Rate(e.Metrics["check.short.pass_rate"], 8, 10);
        // polite: r0–r5 pass (people), r6 fail (people), r7, r8 pass and r9 fail (model) → 8 of 10.
        Rate(e.Metrics["rubric.polite.pass_rate"], 8, 10);
        // acceptable (short and polite): r0–r5 and r7 → 7 of 10.
        Rate(e.Metrics["acceptable_rate"], 7, 10);
        Rate(e.Metrics["regeneration_rate"], 2, 10);
        Assert.Equal(120, e.Metrics["tokens_per_output"].Value);
        Assert.Equal(250, e.Metrics["latency_p95_ms"].Value);
        Assert.Equal(
            [Verdict.Inconclusive, Verdict.Pass, Verdict.Pass, Verdict.Inconclusive, Verdict.Pass],
            e.Requirements.Select(r => r.Verdict)
        );
        Assert.Equal(Verdict.Inconclusive, e.Verdict);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);

        // Two days on the window is closed and stored: asked again, it is read back, equal.
        var again = await MetricsJsonAsync("2026-11-23", "2026-11-24");
        Assert.Equal(
            ReportJson.Write(window),
            ReportJson.Write(Assert.Single(ReportJson.ReadMonitoring(again)!.Windows))
        );

        using var viewer = _server.Client(KeyRole.Viewer);
        var summary = await viewer.GetAsync($"/v1/features/{Feature}/summary?from=2026-11-01&to=2026-11-24");
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        var range = ReportJson.ReadRange(await summary.Content.ReadAsStringAsync())!.Generative!;
        Assert.Equal(10, range.Outputs);
        Rate(range.Rates["regeneration_rate"], 2, 10);
        Rate(range.Rates["acceptable_rate"], 7, 10);
        Rate(range.Rates["rubric.polite.pass_rate"], 8, 10);
        var agreement = await viewer.GetStringAsync($"/v1/features/{Feature}/judge-agreement");
        using var doc = JsonDocument.Parse(agreement);
        var polite = Assert.Single(doc.RootElement.GetProperty("criteria").EnumerateArray());
        Assert.Equal(40, polite.GetProperty("agreeing").GetInt64());
        Assert.Equal("can_stand_in", polite.GetProperty("verdict").GetString());
        Assert.Equal(trust.Statement, polite.GetProperty("statement").GetString());
    }

    [Fact]
    public async Task ClosedWindow_GradedAfterItWasStored_IsJudgedAgain()
    {
        for (var i = 0; i < 4; i++)
        {
            await CallAsync($"g{i}", "Sure, it ships today.", $"t-{i}");
        }
        await _client.FlushAsync();
        await _server.CountAsync(Feature);
        _grades.Window.Add(new RubricGrade("g0", "polite", 1, GradeSource.Person));
        var first = Assert.Single(
            ReportJson.ReadMonitoring(await MetricsJsonAsync("2026-11-23", "2026-11-24"))!.Windows
        );
        Assert.Equal(
            (1L, 1.0),
            (first.Generative!.AcceptableBy["people"].N, first.Generative.AcceptableBy["people"].Value)
        );

        // The window is closed and stored. A reviewer grades two more of its outputs; no event arrives, yet the
        // window's figures must count the new grades: 2 of 3 acceptable by people's grades.
        _grades.Window.AddRange([
            new RubricGrade("g1", "polite", 1, GradeSource.Person),
            new RubricGrade("g2", "polite", 0, GradeSource.Person),
        ]);
        var second = Assert.Single(
            ReportJson.ReadMonitoring(await MetricsJsonAsync("2026-11-23", "2026-11-24"))!.Windows
        );
        var people = second.Generative!.AcceptableBy["people"];
        Assert.Equal(3L, people.N);
        Assert.Equal(2.0 / 3, people.Value, 9);
        Assert.Equal(3, second.Generative.Grades);
    }

    [Fact]
    public async Task EmptyWindow_IsSaidInWords_WithoutNaN()
    {
        var json = await MetricsJsonAsync("2026-11-20", "2026-11-21");
        var window = Assert.Single(ReportJson.ReadMonitoring(json)!.Windows);
        var g = window.Generative!;
        Assert.Equal(0, g.Outputs);
        Assert.Equal("No reply was produced in this window, so there is nothing to judge yet.", g.Statements[0]);
        Assert.Equal("no reply in this window, so no feedback on one", g.Feedback["regeneration_rate"].Reason);
        Assert.Null(window.Evaluation);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JudgeAgreement_OfAFeatureThatIsNotGenerative_IsABadRequest()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var yaml = await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml")
        );
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync("/v1/features/payments-fraud/contract", new StringContent(yaml))).StatusCode
        );
        var response = await admin.GetAsync("/v1/features/payments-fraud/judge-agreement");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            "task: generative features only",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }
}
