using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Sampling;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Server.Tests.Review;

/// <summary>
/// A generative feature's review queue over HTTP: outputs routed by <c>judges.people.sample</c> (Core's StableSample),
/// decisions that carry rubric grades (a wrong grade is a 400 saying what is wrong), grades read back, a second opinion
/// that disagrees on a criterion's pass/fail escalating the item, and the rejected outputs exported as cases that
/// Core's generative evaluation reads.
/// </summary>
public sealed class RubricReviewTests : IAsyncLifetime
{
    private const string Feature = "reply-drafter";
    private const int Outputs = 40;

    private static string Yaml(string feature, string review) =>
        $$"""
            feature: {{feature}}
            task: generative
            columns: { id: ticket_id, input: question, output: draft, segments: [channel], tags: tags }
            checks:
              - { name: short_enough, max_length: 600 }
            rubric:
              - { name: informative, question: "Does the draft answer the question?", scale: pass_fail }
              - { name: clarity, question: "Is it clear?", scale: 1-5, pass_at: 4 }
            judges:
              people: { sample: 0.5 }
            requirements:
              - { metric: acceptable_rate, min: 0.5 }
            {{review}}
            """;

    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        foreach (
            var (feature, review) in new[] { (Feature, ""), ("twice", "review: { sample: 0.5, second_opinion: 1 }") }
        )
        {
            var put = await admin.PutAsync(
                $"/v1/features/{feature}/contract",
                new StringContent(Yaml(feature, review))
            );
            Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        }
        var events = string.Join(
            '\n',
            new[] { Feature, "twice" }.SelectMany(feature =>
                Enumerable
                    .Range(0, Outputs)
                    .Select(i =>
                        $$$"""{"type":"prediction","id":"r{{{i}}}","feature":"{{{feature}}}","time":"2026-11-23T10:{{{i:00}}}:00Z","output":"Hi, answer {{{i}}}.","inputs":{"messages":[{"role":"user","text":"question {{{i}}}"}]},"attributes":{"channel":"{{{(i % 2 == 0 ? "chat" : "email")}}}"}}"""
                    )
            )
        );
        using var ingest = _server.Client(KeyRole.Ingest);
        var sent = await ingest.PostAsync(
            "/v1/events",
            new StringContent(events, Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(Outputs, (await _server.CountAsync(Feature)).Predictions);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpClient> ReviewerAsync(string name)
    {
        var key = await ApiKeys.CreateAsync(
            _server.Store<IUserStore>(),
            KeyRole.Reviewer,
            name,
            DateTimeOffset.UnixEpoch
        );
        var client = _server.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Body)> DecideAsync(
        HttpClient reviewer,
        string feature,
        string id,
        string body
    )
    {
        var claim = await reviewer.PostAsync($"/v1/features/{feature}/review/{id}/claim", null);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var response = await reviewer.PostAsync(
            $"/v1/features/{feature}/review/{id}/decision",
            new StringContent(body, Encoding.UTF8, "application/json")
        );
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<string>> RoutedAsync(string feature)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        using var queue = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{feature}/review?limit=500"));
        return
        [
            .. queue
                .RootElement.GetProperty("items")
                .EnumerateArray()
                .Select(i => i.GetProperty("prediction_id").GetString()!),
        ];
    }

    [Fact]
    public async Task Outputs_are_routed_by_the_people_sample_and_decided_by_rubric_grades_then_exported_as_cases()
    {
        var routed = await RoutedAsync(Feature);
        var expected = Enumerable
            .Range(0, Outputs)
            .Select(i => $"r{i}")
            .Where(id => StableSample.Takes(id, 0.5))
            .ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), routed.Order(StringComparer.Ordinal));
        Assert.True(routed.Count >= 4, $"only {routed.Count} of {Outputs} routed");

        using var ana = await ReviewerAsync("ana");
        var (first, second, third) = (routed[0], routed[1], routed[2]);
        foreach (
            var (body, problem) in new[]
            {
                ("""{"grades":{"informative":"pass"}}""", "grades has no grade for 'clarity'"),
                (
                    """{"grades":{"informative":"pass","clarity":7}}""",
                    "the grade of 'clarity' is 7; it must be a whole number from 1 to 5"
                ),
                (
                    """{"grades":{"informative":1,"clarity":4}}""",
                    "the grade of 'informative' is 1; it must be \"pass\" or \"fail\""
                ),
                (
                    """{"grades":{"informative":"pass","clarity":4,"tone":3}}""",
                    "grades names 'tone', which is not a criterion of the rubric"
                ),
                ("""{"decision":"approve"}""", "a generative output is decided by its rubric: send \"grades\""),
            }
        )
        {
            var (status, text) = await DecideAsync(ana, Feature, first, body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            using var json = JsonDocument.Parse(text);
            Assert.Contains(problem, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(
            HttpStatusCode.OK,
            (
                await DecideAsync(
                    ana,
                    Feature,
                    first,
                    """{"grades":{"informative":"fail","clarity":4},"note":"misses it"}"""
                )
            ).Status
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await DecideAsync(ana, Feature, second, """{"grades":{"informative":"pass","clarity":5}}""")).Status
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await DecideAsync(ana, Feature, third, """{"grades":{"informative":"pass","clarity":2}}""")).Status
        );
        // A thumbs_down on an output nobody reviewed makes it a case too.
        var unrouted = Enumerable.Range(0, Outputs).Select(i => $"r{i}").First(id => !routed.Contains(id));
        using (var ingest = _server.Client(KeyRole.Ingest))
        {
            var feedback =
                $$"""{"type":"feedback","id":"f1","prediction_id":"{{unrouted}}","feature":"{{Feature}}","kind":"thumbs_down","time":"2026-11-23T11:00:00Z"}""";
            Assert.Equal(
                HttpStatusCode.Accepted,
                (
                    await ingest.PostAsync(
                        "/v1/events",
                        new StringContent(feedback, Encoding.UTF8, "application/x-ndjson")
                    )
                ).StatusCode
            );
        }

        using var viewer = _server.Client(KeyRole.Viewer);
        using var grades = JsonDocument.Parse(
            await viewer.GetStringAsync(
                $"/v1/features/{Feature}/review/grades?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z"
            )
        );
        Assert.Equal(
            new[]
            {
                (first, "clarity", "4"),
                (first, "informative", "fail"),
                (second, "clarity", "5"),
                (second, "informative", "pass"),
                (third, "clarity", "2"),
                (third, "informative", "pass"),
            }
                .OrderBy(g => g.Item1, StringComparer.Ordinal)
                .ThenBy(g => g.Item2, StringComparer.Ordinal),
            grades
                .RootElement.GetProperty("grades")
                .EnumerateArray()
                .Select(g =>
                {
                    Assert.Equal("person", g.GetProperty("source").GetString());
                    return (
                        g.GetProperty("output_id").GetString()!,
                        g.GetProperty("criterion").GetString()!,
                        g.GetProperty("grade").GetString()!
                    );
                })
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await viewer.GetAsync($"/v1/features/{Feature}/review/cases.jsonl")).StatusCode
        );

        // The export: the two outputs a person failed on a criterion and the one thumbed down, in the contract's columns.
        var export = await ana.GetStringAsync($"/v1/features/{Feature}/review/cases.jsonl");
        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("ticket_id").GetString()!);
        Assert.Equal(
            new[] { first, third, unrouted }.Order(StringComparer.Ordinal),
            rows.Keys.Order(StringComparer.Ordinal)
        );
        var failed = rows[first];
        var n = int.Parse(first[1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            ($"question {n}", $"Hi, answer {n}.", n % 2 == 0 ? "chat" : "email", "fail", 4),
            (
                failed.GetProperty("question").GetString(),
                failed.GetProperty("draft").GetString(),
                failed.GetProperty("channel").GetString(),
                failed.GetProperty("rubric.informative").GetString(),
                failed.GetProperty("rubric.clarity").GetInt32()
            )
        );
        Assert.Equal(["rejected"], failed.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["thumbs_down"], rows[unrouted].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(rows[unrouted].TryGetProperty("rubric.clarity", out _));

        // Fed back to Core's generative evaluation: three cases; informative passes on one of the two graded, clarity
        // on one of the two graded (4 passes at pass_at 4, 2 does not).
        var contract = ContractParser.Parse(Yaml(Feature, ""), "overlap.yaml");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(export));
        var table = TableReader.Read(stream, DataFormat.JsonLines, Evaluator.ReadOptions(contract, "cases.jsonl"));
        var report = Evaluator.Evaluate(contract, table);
        Assert.Equal(3, report.N);
        Assert.Equal(
            (2L, 0.5),
            (report.Metrics["rubric.informative.pass_rate"].N, report.Metrics["rubric.informative.pass_rate"].Value)
        );
        Assert.Equal((2L, 3.0), (report.Metrics["rubric.clarity.mean"].N, report.Metrics["rubric.clarity.mean"].Value));
    }

    [Fact]
    public async Task A_second_opinion_that_disagrees_on_a_criterion_pass_or_fail_escalates_the_item()
    {
        var routed = await RoutedAsync("twice");
        using var ana = await ReviewerAsync("ana2");
        using var ben = await ReviewerAsync("ben2");
        var (agreed, disputed) = (routed[0], routed[1]);
        string Status((HttpStatusCode Status, string Body) r)
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            return JsonDocument.Parse(r.Body).RootElement.GetProperty("status").GetString()!;
        }
        // 4 and 5 both pass clarity: the same verdicts, settled. 4 passes clarity, 3 fails it: escalated.
        foreach (var (id, clarity, status) in new[] { (agreed, 5, "decided"), (disputed, 3, "escalated") })
        {
            var first = """{"grades":{"informative":"pass","clarity":4}}""";
            Assert.Equal("second", Status(await DecideAsync(ana, "twice", id, first)));
            var second = $$$"""{"grades":{"informative":"pass","clarity":{{{clarity}}}}}""";
            Assert.Equal(status, Status(await DecideAsync(ben, "twice", id, second)));
        }
        // The dispute is an edge case in the export, without grades (nothing settled it).
        var export = await ana.GetStringAsync("/v1/features/twice/review/cases.jsonl");
        var row = JsonDocument
            .Parse(Assert.Single(export.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
            .RootElement;
        Assert.Equal(disputed, row.GetProperty("ticket_id").GetString());
        Assert.Equal(["disagreement"], row.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }
}
