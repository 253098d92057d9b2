using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Overlap.Core.Contracts;
using Overlap.Core.Monitoring;
using Overlap.Events;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The feature page's workflow section in Chromium, on a real <c>overlap serve</c>: the first 600 guarded calls of
/// Overlap.Core.Tests' Fixtures/workflow (make_workflow_fixtures.py) sent today as the guard logs them, to a binary
/// contract with no review section; a reviewer decides three of the calls the guard sent to people. The page must show
/// the routes per window (chart and table), the failed checks and what the reviewed calls became, with the figures
/// Core's WorkflowMonitor gives for the same calls (itself checked against statsmodels).
/// </summary>
public sealed class WorkflowSectionTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private const string Feature = "guarded-payments";
    private const int Calls = 600;
    private const float Timeout = 60_000;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);

    private const string Yaml = """
        feature: guarded-payments
        task: binary
        labels: { positive: fraud, negative: legit }
        columns: { id: id, label: label, score: score, segments: [channel] }
        words: { positive: fraudulent payment, negative: legitimate payment, action: held, example: payment }
        requirements:
          - { metric: fallback_rate, max: 0.05 }
        """;

    private static readonly List<(WorkflowTrace Trace, string? Channel)> Sent =
    [
        .. JsonDocument
            .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "workflow.json")))
            .RootElement.GetProperty("calls")
            .EnumerateArray()
            .Take(Calls)
            .Select(c =>
                (
                    new WorkflowTrace
                    {
                        Route = c.GetProperty("route").GetString()!,
                        Attempts = c.GetProperty("attempts").GetInt32(),
                        FailedChecks = [.. c.GetProperty("failed_checks").EnumerateArray().Select(f => f.GetString()!)],
                        Reason = c.GetProperty("route").GetString() is "escalate" or "abstain"
                            ? "amount above the limit a model may decide"
                            : null,
                    },
                    c.GetProperty("channel").GetString()
                )
            ),
    ];

    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await DashboardBrowser.StartAsync(server.Address);

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task The_page_shows_the_routes_the_failed_checks_and_what_reviewers_decided()
    {
        using var admin = server.Client(server.AdminKey);
        var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(Yaml));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        var now = TimeProvider.System.GetUtcNow();
        var today = now.UtcDateTime.Date;
        // All today, a second apart, ending now at the latest (from midnight when the day is younger than that).
        var start =
            new DateTimeOffset(today, TimeSpan.Zero)
            + TimeSpan.FromTicks(
                Math.Max(0, (now - new DateTimeOffset(today, TimeSpan.Zero) - TimeSpan.FromSeconds(Calls + 60)).Ticks)
            );
        var lines = new StringBuilder();
        for (var i = 0; i < Sent.Count; i++)
        {
            var (trace, channel) = Sent[i];
            var prediction = new PredictionEvent
            {
                Id = $"g{i}",
                Feature = Feature,
                Time = start.AddSeconds(i),
                Score = 0.3,
                AttributesJson = channel is null ? null : $$"""{"channel":"{{channel}}"}""",
                Workflow = trace,
            };
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            EventWriter.WriteNdjson([prediction], buffer);
            lines.Append(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());

        // Two escalated calls found fraudulent, one abstained call found legitimate.
        var escalated = Enumerable.Range(0, Sent.Count).Where(i => Sent[i].Trace.Route == "escalate").Take(2).ToList();
        var abstained = Enumerable.Range(0, Sent.Count).First(i => Sent[i].Trace.Route == "abstain");
        await DecideAsync(escalated[0], "fraud");
        await DecideAsync(escalated[1], "fraud");
        await DecideAsync(abstained, "legit");

        // The open window computed now, with the decisions (the page shows it as kept).
        using var viewer = server.Client(server.ViewerKey);
        await viewer.GetStringAsync(
            $"/v1/features/{Feature}/metrics?from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}"
        );

        var contract = ContractParser.Parse(Yaml);
        var tally = new WorkflowTally();
        foreach (var (trace, channel) in Sent)
        {
            tally.Add(trace, [("channel", channel)]);
        }
        var expected = WorkflowMonitor.Summarize(contract, tally)!;

        var page = await _browser.SignedInAsync(server.ViewerKey);
        await page.GotoAsync($"/features/{Feature}", new PageGotoOptions { Timeout = Timeout });
        var text = new LocatorAssertionsToHaveTextOptions { Timeout = Timeout };
        var contains = new LocatorAssertionsToContainTextOptions { Timeout = Timeout };

        // The statement: the calls and their routes, then the retry rate, in the contract's words.
        await Assertions
            .Expect(page.GetByTestId("workflow-statement"))
            .ToHaveTextAsync($"{expected.Statements[0]} {expected.Statements[1]}", text);
        Assert.StartsWith(
            "600 payments went through the contract's workflow: ",
            expected.Statements[0],
            StringComparison.Ordinal
        );

        // The table: one row for today with the window's rates.
        var row = page.GetByTestId("workflow-window");
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(row.GetByTestId("workflow-guarded")).ToHaveTextAsync("600", text);
        string Rate(string metric) => Overlap.Server.Monitoring.Workflow.WorkflowView.Rate(expected.Metrics[metric]);
        await Assertions.Expect(row.GetByTestId("workflow-retry")).ToHaveTextAsync(Rate("retry_rate"), text);
        await Assertions.Expect(row.GetByTestId("workflow-fallback")).ToHaveTextAsync(Rate("fallback_rate"), text);
        await Assertions.Expect(row.GetByTestId("workflow-escalation")).ToHaveTextAsync(Rate("escalation_rate"), text);
        await Assertions.Expect(row.GetByTestId("workflow-abstention")).ToHaveTextAsync(Rate("abstention_rate"), text);

        // The chart: one bar per route, stacked, today's counts.
        var chart = page.Locator("[data-testid=workflow-chart] .js-plotly-plot");
        await Assertions.Expect(chart.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        var drawn = JsonDocument.Parse(await chart.EvaluateAsync<string>("e => JSON.stringify(e.data)")).RootElement;
        var bars = drawn.EnumerateArray().ToList();
        Assert.Equal(WorkflowRoutes.All.Count, bars.Count);
        for (var r = 0; r < bars.Count; r++)
        {
            Assert.Equal(
                expected.Routes[WorkflowRoutes.All[r]],
                bars[r].GetProperty("y").EnumerateArray().Single().GetInt64()
            );
        }
        Assert.Equal("escalated to a person", bars[3].GetProperty("name").GetString());

        // The failed checks, most calls first, with the share a retry recovered.
        var top = expected.FailedChecks[0];
        var check = page.Locator($"[data-testid=workflow-check][data-check={top.Check}]");
        await Assertions
            .Expect(check.GetByTestId("workflow-check-calls"))
            .ToHaveTextAsync(top.Calls.ToString("#,0", CultureInfo.InvariantCulture), text);
        await Assertions
            .Expect(check.GetByTestId("workflow-check-share"))
            .ToHaveTextAsync(Overlap.Server.Monitoring.Workflow.WorkflowView.Rate(top.PassedShare), text);
        await Assertions
            .Expect(page.GetByTestId("workflow-check"))
            .ToHaveCountAsync(expected.FailedChecks.Count, new() { Timeout = Timeout });

        // What the calls sent to people became.
        var sentToPeople = expected.Routes["escalate"] + expected.Routes["abstain"];
        await Assertions
            .Expect(page.GetByTestId("workflow-outcomes-statement"))
            .ToHaveTextAsync(
                $"{sentToPeople} payments went to people ({expected.Routes["escalate"]} escalated, {expected.Routes["abstain"]} left to a person); reviewers have decided 3 of them:",
                text
            );
        var outcomes = page.GetByTestId("workflow-outcome");
        await Assertions.Expect(outcomes).ToHaveCountAsync(2, new() { Timeout = Timeout });
        await Assertions
            .Expect(outcomes.Nth(0).Locator("td"))
            .ToHaveTextAsync(["left to a person (uncertain)", "labelled legit", "1"], text);
        await Assertions
            .Expect(outcomes.Nth(1).Locator("td"))
            .ToHaveTextAsync(["escalated by the workflow", "labelled fraud", "2"], text);

        // The next call waiting for a reviewer shows why the guard sent it.
        var review = await _browser.SignedInAsync(server.ReviewerKey);
        await review.GotoAsync($"/features/{Feature}/review", new PageGotoOptions { Timeout = Timeout });
        await Assertions
            .Expect(review.GetByTestId("item-status"))
            .ToContainTextAsync(
                new System.Text.RegularExpressions.Regex(
                    "Routed as (an escalation from|a case) the contract's workflow"
                ),
                contains
            );
        await Assertions
            .Expect(review.GetByTestId("workflow-reason"))
            .ToHaveTextAsync("The workflow's reason: amount above the limit a model may decide", text);
    }

    /// <summary>A reviewer claims the call (once the queue has routed it) and records <paramref name="label"/>.</summary>
    private async Task DecideAsync(int call, string label)
    {
        using var reviewer = server.Client(server.ReviewerKey);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var claim = await reviewer.PostAsync($"/v1/features/{Feature}/review/g{call}/claim", null);
            if (claim.StatusCode == HttpStatusCode.OK)
            {
                break;
            }
            Assert.True(
                clock.Elapsed < Wait,
                $"g{call} could not be claimed: {await claim.Content.ReadAsStringAsync()}"
            );
            await Task.Delay(500);
        }
        var decision = await reviewer.PostAsync(
            $"/v1/features/{Feature}/review/g{call}/decision",
            new StringContent($$"""{"decision":"correct","label":"{{label}}"}""", Encoding.UTF8, "application/json")
        );
        Assert.True(decision.IsSuccessStatusCode, await decision.Content.ReadAsStringAsync());
    }
}
