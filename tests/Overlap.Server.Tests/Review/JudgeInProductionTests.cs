using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Overlap.Core.Sampling;
using Overlap.Server.Auth;
using Overlap.Server.Judging;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Review;

/// <summary>
/// The model judge in production, against an in-process OpenAI-compatible stand-in on loopback (a hosted LLM cannot
/// be reached here): it grades the salted share <c>judges.model.sample</c> of new outputs and stores each grade with its
/// tokens and cost, stops for the day when <c>budget_per_day</c> is spent, and grades nothing when a variable is missing,
/// saying each on <c>GET /v1/features/{feature}/judge</c>.
/// </summary>
public sealed class JudgeInProductionTests : IAsyncLifetime
{
    private const int Outputs = 30;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _prefix = "OVERLAP_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private RunningServer _server = null!;
    private OpenAiStandIn _standIn = null!;
    private IAsyncDisposable? _held;

    private string Yaml(string feature, string budget, string endpointVariable) =>
        $$"""
            feature: {{feature}}
            task: generative
            columns: { id: id, input: question, output: draft }
            rubric:
              - { name: informative, question: "Does the draft answer the question?", scale: pass_fail }
              - { name: clarity, question: "Is it clear?", scale: 1-5 }
            judges:
              model: { endpoint: env:{{endpointVariable}}, model: gpt-4o-mini, key: env:{{_prefix}}_KEY, sample: 0.5{{budget}} }
            requirements:
              - { metric: acceptable_rate, min: 0.5 }
            """;

    public async Task InitializeAsync()
    {
        _standIn = await OpenAiStandIn.StartAsync();
        // clarity gets 4, informative passes (1).
        _standIn.Rule = r =>
            StandInReply.Grade(r.LastUser.Contains("Is it clear?", StringComparison.Ordinal) ? 4 : 1, "fine");
        Environment.SetEnvironmentVariable($"{_prefix}_ENDPOINT", _standIn.Endpoint.ToString());
        Environment.SetEnvironmentVariable($"{_prefix}_KEY", "sk-test");
        _server = await RunningServer.StartAsync();
        // As another server over the same store would, this test holds "held"'s grading from the start.
        _held = await _server.Store<IModelGradeStore>().HoldGradingAsync("held");
        Assert.NotNull(_held);
        using var admin = _server.Client(KeyRole.Admin);
        foreach (
            var (feature, yaml) in new[]
            {
                ("drafts", Yaml("drafts", "", $"{_prefix}_ENDPOINT")),
                ("thrifty", Yaml("thrifty", ", budget_per_day: 0.00005", $"{_prefix}_ENDPOINT")),
                ("unset", Yaml("unset", "", $"{_prefix}_MISSING")),
                ("held", Yaml("held", "", $"{_prefix}_ENDPOINT")),
            }
        )
        {
            var put = await admin.PutAsync($"/v1/features/{feature}/contract", new StringContent(yaml));
            Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        }
        var events = string.Join(
            '\n',
            new[] { "drafts", "thrifty", "unset", "held" }.SelectMany(feature =>
                Enumerable
                    .Range(0, Outputs)
                    .Select(i =>
                        $$$"""{"type":"prediction","id":"d{{{i}}}","feature":"{{{feature}}}","time":"2026-11-23T10:{{{i:00}}}:00Z","output":"Hi, answer {{{i}}}.","inputs":{"messages":[{"role":"user","text":"question {{{i}}}"}]}}"""
                    )
            )
        );
        using var ingest = _server.Client(KeyRole.Ingest);
        var sent = await ingest.PostAsync(
            "/v1/events",
            new StringContent(events, Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(Outputs, (await _server.CountAsync("drafts")).Predictions);
    }

    public async Task DisposeAsync()
    {
        if (_held is not null)
        {
            await _held.DisposeAsync();
        }
        await _server.DisposeAsync();
        await _standIn.DisposeAsync();
        Environment.SetEnvironmentVariable($"{_prefix}_ENDPOINT", null);
        Environment.SetEnvironmentVariable($"{_prefix}_KEY", null);
    }

    private async Task<JsonElement> StatusAsync(string feature, Func<JsonElement, bool> until)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await viewer.GetAsync($"/v1/features/{feature}/judge");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (until(status))
            {
                return status;
            }
            Assert.True(clock.Elapsed < Wait, $"{feature}'s judge did not get there in {Wait}: {status}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task The_judge_grades_its_salted_sample_and_stores_tokens_and_cost()
    {
        var expected = Enumerable
            .Range(0, Outputs)
            .Select(i => $"d{i}")
            .Where(id => StableSample.Takes(id + ProductionJudge.Salt, 0.5))
            .ToHashSet();
        var status = await StatusAsync("drafts", s => s.GetProperty("graded").GetInt64() >= expected.Count);
        Assert.Equal("grading", status.GetProperty("state").GetString());
        var stored = await _server
            .Store<IModelGradeStore>()
            .ModelGradesAsync("drafts", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        Assert.Equal(expected, stored.Select(g => g.OutputId).ToHashSet());
        Assert.All(stored, g =>
        {
            Assert.Equal(g.Criterion == "clarity" ? 4 : 1, g.Grade);
            // gpt-4o-mini's list price: 0.15 and 0.60 per million input and output tokens; 120 and 15 tokens an answer.
            Assert.Equal(("gpt-4o-mini", 120L, 15L), (g.Model, g.InputTokens!.Value, g.OutputTokens!.Value));
            Assert.Equal((120 * 0.15 + 15 * 0.60) / 1e6, g.Cost!.Value, 12);
        });
        Assert.Equal(2 * expected.Count, stored.Count);
        // Through the one reader of grades, over HTTP.
        using var viewer = _server.Client(KeyRole.Viewer);
        using var grades = JsonDocument.Parse(
            await viewer.GetStringAsync(
                "/v1/features/drafts/review/grades?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z"
            )
        );
        var model = grades.RootElement.GetProperty("grades").EnumerateArray().ToList();
        Assert.Equal(2 * expected.Count, model.Count);
        Assert.All(model, g => Assert.Equal("model", g.GetProperty("source").GetString()));
        Assert.Equal(
            expected.Count,
            model.Count(g =>
                g.GetProperty("criterion").GetString() == "informative" && g.GetProperty("grade").GetString() == "pass"
            )
        );
    }

    [Fact]
    public async Task The_judge_stops_for_the_day_when_the_budget_is_spent_and_says_why_it_is_off()
    {
        var thrifty = await StatusAsync("thrifty", s => s.GetProperty("state").GetString() == "budget_spent");
        Assert.StartsWith("Stopped for today:", thrifty.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var spent = await _server.Store<IModelGradeStore>().ModelSpendAsync("thrifty", TimeProvider.System.GetUtcNow());
        Assert.True(spent >= 0.00005, $"spent {spent}");
        var graded = await _server
            .Store<IModelGradeStore>()
            .ModelGradesAsync("thrifty", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        Assert.True(graded.Count < 10, $"{graded.Count} grades stored past a budget of about two answers");

        var off = await StatusAsync("unset", s => s.GetProperty("state").GetString() == "off");
        Assert.Contains(
            $"{_prefix}_MISSING, which is not set",
            off.GetProperty("reason").GetString(),
            StringComparison.Ordinal
        );
        using var viewer = _server.Client(KeyRole.Viewer);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/v1/features/nope/judge")).StatusCode);
    }

    [Fact]
    public async Task A_feature_whose_grading_another_server_holds_is_not_graded_here_until_it_lets_go()
    {
        // Before, every server's judge picked and paid for the same outputs.
        var waiting = await StatusAsync("held", s =>
            s.GetProperty("reason").GetString()!.Contains("another server", StringComparison.Ordinal)
        );
        Assert.Equal(
            "Grading 50% of new outputs with gpt-4o-mini (another server graded them on this pass).",
            waiting.GetProperty("reason").GetString()
        );
        // Graded "drafts" meanwhile shows passes ran; none of "held"'s outputs was graded.
        await StatusAsync("drafts", s => s.GetProperty("graded").GetInt64() > 0);
        var store = _server.Store<IModelGradeStore>();
        Assert.Empty(await store.ModelGradesAsync("held", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue));

        await _held!.DisposeAsync();
        _held = null;
        var expected = Enumerable
            .Range(0, Outputs)
            .Select(i => $"d{i}")
            .Count(id => StableSample.Takes(id + ProductionJudge.Salt, 0.5));
        var graded = await StatusAsync("held", s => s.GetProperty("graded").GetInt64() >= expected);
        Assert.Equal("Grading 50% of new outputs with gpt-4o-mini.", graded.GetProperty("reason").GetString());
        Assert.Equal(
            2 * expected,
            (await store.ModelGradesAsync("held", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue)).Count
        );
    }
}
