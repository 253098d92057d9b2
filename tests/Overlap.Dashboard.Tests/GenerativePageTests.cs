using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Overlap.Core.Generative;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// A generative feature's page in Chromium, on a real <c>overlap serve</c>: twenty drafts sent today with feedback,
/// every one graded by a reviewer over the API (with failure categories) and by the model judge through an in-process
/// OpenAI-compatible stand-in on loopback (a hosted LLM cannot be reached here). The page must show the figures the
/// seeded data give: expected shares counted here and their intervals from Core's Wilson (checked against statsmodels),
/// the judge's agreement from Core's <see cref="JudgeAgreement"/> (checked against scikit-learn and statsmodels).
/// </summary>
public sealed class GenerativePageTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private const string Feature = "reply-page";
    private const int Drafts = 20;
    private const float Timeout = 60_000;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);

    // People: factual fails d1 and d6, tone is 2 on d5 (4 elsewhere). The model judge: factual fails d1, d4 and d8,
    // tone as people. short_enough (at most 60 characters) fails d17–d19.
    private static readonly int[] PeopleFactualFails = [1, 6];
    private static readonly int[] ModelFactualFails = [1, 4, 8];
    private const int ColdTone = 5;
    private static readonly int[] Long = [17, 18, 19];

    private static readonly Dictionary<int, string> Categories = new()
    {
        [1] = "made_up_fact",
        [6] = "made_up_fact",
        [5] = "cold_tone",
        [17] = "too_long",
    };

    private OpenAiStandIn _standIn = null!;
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _standIn = await OpenAiStandIn.StartAsync();
        _standIn.Rule = r =>
            r.LastUser.Contains("Is the tone warm?", StringComparison.Ordinal)
                ? StandInReply.Grade(Draft(r.LastUser) == ColdTone ? 2 : 4, "tone")
                : StandInReply.Grade(ModelFactualFails.Contains(Draft(r.LastUser)) ? 0 : 1, "facts");
        _browser = await DashboardBrowser.StartAsync(server.Address);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _standIn.DisposeAsync();
    }

    /// <summary>The draft a judge's prompt is about, by the "[d7]" its text carries.</summary>
    private static int Draft(string prompt)
    {
        var at = prompt.IndexOf("[d", StringComparison.Ordinal) + 2;
        return int.Parse(prompt[at..prompt.IndexOf(']', at)], CultureInfo.InvariantCulture);
    }

    private static string Text(int i) =>
        Long.Contains(i)
            ? $"Hello, it ships today [d{i}], and here is a long story about our busy warehouse."
            : $"Hello, it ships today [d{i}].";

    private string Yaml =>
        $$"""
            feature: {{Feature}}
            task: generative
            columns: { id: id, input: question, output: draft }
            words: { output: draft }
            checks:
              - { name: short_enough, max_length: 60 }
            rubric:
              - { name: factual, question: "Is every fact supported?", scale: pass_fail }
              - { name: tone, question: "Is the tone warm?", scale: 1-5, pass_at: 4 }
            acceptable: all
            judges:
              people: { sample: 1 }
              model: { endpoint: "{{_standIn.Endpoint}}", model: gpt-4o-mini, sample: 1 }
              min_agreement: 0.8
            monitoring: { window: 1d, min_samples: 30 }
            review: { sample: 0.01, failure_categories: [made_up_fact, cold_tone, too_long] }
            requirements:
              - { metric: acceptable_rate, min: 0.5 }
              - { metric: regeneration_rate, max: 0.3 }
            """;

    private static string Percent(double share) => Phrasing.Percent(share);

    /// <summary>"70% (48% to 85%)": <paramref name="k"/> of <paramref name="n"/> with Core's Wilson interval.</summary>
    private static string Share(int k, int n)
    {
        var w = Wilson.Interval(k, n, 0.95);
        return $"{Percent((double)k / n)} ({Percent(w.Low)} to {Percent(w.High)})";
    }

    [Fact]
    public async Task The_page_shows_people_and_the_model_judge_side_by_side_with_the_seeded_figures()
    {
        using var admin = server.Client(server.AdminKey);
        var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(Yaml));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        await SendAsync(admin);
        await WaitForModelGradesAsync();
        await ReviewAsync();
        // The open window computed now, with every grade and decision (the page shows it as kept).
        using var viewer = server.Client(server.ViewerKey);
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        await viewer.GetStringAsync(
            $"/v1/features/{Feature}/metrics?from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}"
        );

        var page = await _browser.SignedInAsync(server.ViewerKey);
        await page.GotoAsync($"/features/{Feature}", new PageGotoOptions { Timeout = Timeout });
        var text = new LocatorAssertionsToHaveTextOptions { Timeout = Timeout };
        var contains = new LocatorAssertionsToContainTextOptions { Timeout = Timeout };

        // 1. Acceptable: people 14 of 20 (d1, d5, d6, d17–d19 fail), the model 13 of 20 (d1, d4, d5, d8, d17–d19).
        var acceptable = page.GetByTestId("acceptable-statement");
        await Assertions
            .Expect(acceptable)
            .ToContainTextAsync($"people found {Share(14, 20)} of the 20 drafts", contains);
        await Assertions
            .Expect(acceptable)
            .ToContainTextAsync($"the model judge found {Share(13, 20)} of the 20 drafts", contains);
        await Assertions.Expect(acceptable).ToContainTextAsync("Not settled yet: At least", contains);
        var chart = page.Locator("[data-testid=acceptable-chart] .js-plotly-plot");
        await Assertions.Expect(chart.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        var drawn = JsonDocument.Parse(await chart.EvaluateAsync<string>("e => JSON.stringify(e.data)")).RootElement;
        var lines = drawn.EnumerateArray().Where(t => t.TryGetProperty("name", out _)).ToList();
        Assert.Equal(
            ["by people's grades", "by the model judge's grades"],
            lines.Select(l => l.GetProperty("name").GetString())
        );
        Assert.Equal(0.70, lines[0].GetProperty("y").EnumerateArray().Last().GetDouble(), 9);
        Assert.Equal(0.65, lines[1].GetProperty("y").EnumerateArray().Last().GetDouble(), 9);

        // 2. Each check and criterion: the latest figure of 20 drafts, not enough data for min_samples 30.
        async Task Figure(string name, int passed)
        {
            var figure = page.Locator($"[data-testid=figure][data-name={name}]");
            await Assertions
                .Expect(figure.GetByTestId("figure-latest"))
                .ToContainTextAsync($"{Share(passed, 20)} of 20 drafts", contains);
            await Assertions
                .Expect(figure.GetByTestId("figure-latest"))
                .ToContainTextAsync("not enough data yet (20 of 30 needed)", contains);
        }
        await Figure("short_enough", 17);
        await Figure("factual", 18);
        await Figure("tone", 19);

        // 3. The judge against people, from Core's agreement on the same grades.
        var factual = new RubricCriterion { Name = "factual", Question = "Is every fact supported?" };
        var tone = new RubricCriterion
        {
            Name = "tone",
            Question = "Is the tone warm?",
            Scale = RubricScale.OneToFive,
        };
        var factualAgreement = JudgeAgreement.Of(
            factual,
            [
                .. Enumerable
                    .Range(0, Drafts)
                    .Select(i => (PeopleFactualFails.Contains(i) ? 0 : 1, ModelFactualFails.Contains(i) ? 0 : 1)),
            ],
            0.8,
            0.95
        );
        var toneAgreement = JudgeAgreement.Of(
            tone,
            [.. Enumerable.Range(0, Drafts).Select(i => (i == ColdTone ? 2 : 4, i == ColdTone ? 2 : 4))],
            0.8,
            0.95
        );
        Assert.Equal(JudgeAgreementVerdict.NotEnoughData, factualAgreement.Verdict);
        Assert.Equal(JudgeAgreementVerdict.CanStandIn, toneAgreement.Verdict);
        var factualRow = page.Locator("[data-testid=judge-row][data-criterion=factual]");
        await Assertions
            .Expect(factualRow.GetByTestId("judge-agreement"))
            .ToHaveTextAsync($"{Share(17, 20).Replace(" (", " of 20 outputs (", StringComparison.Ordinal)}", text);
        await Assertions
            .Expect(factualRow.GetByTestId("judge-kappa"))
            .ToContainTextAsync(factualAgreement.Kappa.ToString("0.00", CultureInfo.InvariantCulture), contains);
        await Assertions.Expect(factualRow.GetByTestId("judge-counts")).ToHaveTextAsync("no", text);
        await Assertions
            .Expect(page.Locator("[data-testid=judge-row][data-criterion=tone]").GetByTestId("judge-counts"))
            .ToHaveTextAsync("yes", text);
        var factualStatement = page.Locator("[data-testid=judge-statement][data-criterion=factual]");
        await Assertions.Expect(factualStatement).ToContainTextAsync(factualAgreement.Statement, contains);
        await Assertions
            .Expect(factualStatement)
            .ToContainTextAsync("do not count toward verdicts on factual", contains);
        await Assertions
            .Expect(page.Locator("[data-testid=judge-statement][data-criterion=tone]"))
            .ToHaveTextAsync(toneAgreement.Statement, text);

        // 4. Failure categories: of the 20 reviewed, 2 made_up_fact, 1 cold_tone, 1 too_long.
        string Cell(int count)
        {
            var w = Wilson.Interval(count, 20, 0.95);
            return $"{count} ({Percent(count / 20.0)}, {Percent(w.Low)} to {Percent(w.High)})";
        }
        var window = page.GetByTestId("category-window");
        await Assertions.Expect(window).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(window.Locator("td[data-category=made_up_fact]")).ToHaveTextAsync(Cell(2), text);
        await Assertions.Expect(window.Locator("td[data-category=cold_tone]")).ToHaveTextAsync(Cell(1), text);
        await Assertions.Expect(window.Locator("td[data-category=too_long]")).ToHaveTextAsync(Cell(1), text);
        await Assertions
            .Expect(page.GetByTestId("failure-categories-statement"))
            .ToContainTextAsync("Reviewers settled 20 drafts in the last 30 days", contains);

        // 5. The worst outputs: d1 failed factual by both, with its question and both sides' grades.
        var worst = page.Locator("[data-testid=worst-output][data-id=d1]");
        await Assertions.Expect(worst.GetByTestId("worst-input")).ToHaveTextAsync("Where is order 1?", text);
        await Assertions.Expect(worst.GetByTestId("worst-text")).ToHaveTextAsync(Text(1), text);
        await Assertions.Expect(worst.GetByTestId("worst-failed")).ToContainTextAsync("factual: graded fail", contains);
        await Assertions
            .Expect(worst.GetByTestId("worst-people"))
            .ToHaveTextAsync("People: factual fail, tone 4", text);
        await Assertions
            .Expect(worst.GetByTestId("worst-model"))
            .ToHaveTextAsync("Model judge: factual fail, tone 4", text);

        // 6. Usage and feedback: 2 of 20 regenerated, 1 edited, 1 thumbs-down; 120 tokens each.
        var usage = page.GetByTestId("usage-window");
        await Assertions.Expect(usage).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(usage.GetByTestId("usage-outputs")).ToHaveTextAsync("20", text);
        await Assertions.Expect(usage.GetByTestId("usage-regeneration")).ToHaveTextAsync($"{Share(2, 20)} of 20", text);
        await Assertions.Expect(usage.GetByTestId("usage-edit")).ToHaveTextAsync($"{Share(1, 20)} of 20", text);
        await Assertions.Expect(usage.GetByTestId("usage-thumbs-down")).ToHaveTextAsync($"{Share(1, 20)} of 20", text);
        await Assertions.Expect(usage.GetByTestId("usage-tokens")).ToContainTextAsync("120", contains);
        await Assertions
            .Expect(usage.GetByTestId("usage-note"))
            .ToHaveTextAsync("not enough data yet (20 of 30 needed)", text);

        var body = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("NaN", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", body, StringComparison.Ordinal);
        Assert.DoesNotContain("No labels yet", body, StringComparison.Ordinal);
        await page.ScreenshotAsync(
            new() { Path = Path.Combine(DashboardBrowser.Screenshots, "generative-page.png"), FullPage = true }
        );
    }

    private static async Task SendAsync(HttpClient admin)
    {
        var now = TimeProvider.System.GetUtcNow();
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        // All in today's window (before now, so none is in the future).
        string When(int i) =>
            (start + (now - start) * (i + 1) / (Drafts + 2)).ToString(
                "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
                CultureInfo.InvariantCulture
            );
        var lines = new StringBuilder();
        for (var i = 0; i < Drafts; i++)
        {
            lines.Append(
                JsonSerializer.Serialize(
                    new Dictionary<string, object>
                    {
                        ["type"] = "prediction",
                        ["id"] = $"d{i}",
                        ["feature"] = Feature,
                        ["time"] = When(i),
                        ["output"] = Text(i),
                        ["inputs"] = new Dictionary<string, string> { ["question"] = $"Where is order {i}?" },
                        ["input_tokens"] = 100,
                        ["output_tokens"] = 20,
                        ["cost"] = 0.002,
                        ["latency_ms"] = 200 + (i * 10),
                        ["conversation_id"] = $"c{i / 2}",
                    }
                )
            );
            lines.Append('\n');
        }
        foreach (
            var (id, kind) in new[]
            {
                ("d0", "regenerated"),
                ("d1", "regenerated"),
                ("d2", "edited"),
                ("d3", "thumbs_down"),
            }
        )
        {
            var feedback = new Dictionary<string, object>
            {
                ["type"] = "feedback",
                ["id"] = $"f-{id}",
                ["prediction_id"] = id,
                ["feature"] = Feature,
                ["kind"] = kind,
                ["time"] = When(Drafts),
            };
            if (kind == "edited")
            {
                feedback["edit_distance"] = 5;
            }
            lines.Append(JsonSerializer.Serialize(feedback)).Append('\n');
        }
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
    }

    private async Task WaitForModelGradesAsync()
    {
        using var viewer = server.Client(server.ViewerKey);
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var grades = JsonDocument.Parse(
                await viewer.GetStringAsync(
                    $"/v1/features/{Feature}/review/grades?from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}"
                )
            );
            var model = grades
                .RootElement.GetProperty("grades")
                .EnumerateArray()
                .Count(g => g.GetProperty("source").GetString() == "model");
            if (model == 2 * Drafts)
            {
                return;
            }
            Assert.True(clock.Elapsed < Wait, $"the model judge gave {model} of {2 * Drafts} grades in {Wait}");
            await Task.Delay(500);
        }
    }

    /// <summary>A reviewer grades every draft over the API, with a failure category on four of them.</summary>
    private async Task ReviewAsync()
    {
        using var reviewer = server.Client(server.ReviewerKey);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Drafts; i++)
        {
            while (true)
            {
                var claim = await reviewer.PostAsync($"/v1/features/{Feature}/review/d{i}/claim", null);
                if (claim.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
                Assert.True(
                    clock.Elapsed < Wait,
                    $"d{i} could not be claimed: {await claim.Content.ReadAsStringAsync()}"
                );
                await Task.Delay(500);
            }
            var category = Categories.TryGetValue(i, out var c) ? $",\"category\":\"{c}\"" : "";
            var factual = PeopleFactualFails.Contains(i) ? "fail" : "pass";
            var tone = i == ColdTone ? 2 : 4;
            var decision = await reviewer.PostAsync(
                $"/v1/features/{Feature}/review/d{i}/decision",
                new StringContent(
                    $$"""{"grades":{"factual":"{{factual}}","tone":{{tone}}}{{category}}}""",
                    Encoding.UTF8,
                    "application/json"
                )
            );
            Assert.True(decision.IsSuccessStatusCode, await decision.Content.ReadAsStringAsync());
        }
    }
}
