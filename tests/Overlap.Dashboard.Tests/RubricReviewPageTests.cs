using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The review page in Chromium for a generative feature: the output and its checks are shown, the rubric is graded by
/// keys only (y/n on pass/fail, 1–5 on a 1–5 scale, Enter submits), and the grades are read back through the API.
/// </summary>
public sealed class RubricReviewPageTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private const string Feature = "reply-grades";
    private const float Timeout = 60_000;
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await DashboardBrowser.StartAsync(server.Address);

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_reviewer_grades_the_rubric_by_keys_and_the_API_reads_the_grades()
    {
        using var admin = server.Client(server.AdminKey);
        const string yaml = """
            feature: reply-grades
            task: generative
            columns: { id: id, input: question, output: draft }
            checks:
              - { name: short_enough, max_length: 20 }
            rubric:
              - { name: informative, question: "Does the draft answer the question?", scale: pass_fail }
              - { name: clarity, question: "Is it clear?", scale: 1-5 }
            judges:
              people: { sample: 1 }
            requirements:
              - { metric: acceptable_rate, min: 0.5 }
            """;
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
        const string output = "Hi, it ships today from our warehouse.";
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(
                $$$"""{"type":"prediction","id":"g1","feature":"{{{Feature}}}","time":"2026-11-23T10:00:00Z","output":"{{{output}}}","inputs":{"messages":[{"role":"user","text":"Where is my order?"}]}}""",
                Encoding.UTF8,
                "application/x-ndjson"
            )
        );
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        var page = await _browser.SignedInAsync(server.ReviewerKey);
        await page.GotoAsync($"/features/{Feature}/review", new PageGotoOptions { Timeout = Timeout });
        var item = page.GetByTestId("review-item");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-prediction", "g1", new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("output")).ToHaveTextAsync(output, new() { Timeout = Timeout });
        await Assertions
            .Expect(page.GetByTestId("checks"))
            .ToContainTextAsync("short_enough fails", new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("criterion")).ToHaveCountAsync(2, new() { Timeout = Timeout });

        await item.FocusAsync(new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("n");
        await Assertions
            .Expect(page.GetByTestId("criterion").Nth(0).GetByTestId("grade"))
            .ToHaveTextAsync("fail", new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("3");
        await Assertions
            .Expect(page.GetByTestId("criterion").Nth(1).GetByTestId("grade"))
            .ToHaveTextAsync("3", new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("Enter");
        await Assertions
            .Expect(page.GetByTestId("review-message"))
            .ToContainTextAsync("g1: graded.", new() { Timeout = Timeout });

        using var viewer = server.Client(server.ViewerKey);
        using var grades = JsonDocument.Parse(
            await viewer.GetStringAsync(
                $"/v1/features/{Feature}/review/grades?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z"
            )
        );
        Assert.Equal(
            [("g1", "clarity", "3", "person"), ("g1", "informative", "fail", "person")],
            grades
                .RootElement.GetProperty("grades")
                .EnumerateArray()
                .Select(g =>
                    (
                        g.GetProperty("output_id").GetString(),
                        g.GetProperty("criterion").GetString(),
                        g.GetProperty("grade").GetString(),
                        g.GetProperty("source").GetString()
                    )
                )
        );

        // The audit log: the reviewer opened the queue (its cases' outputs), then graded; the admin put the contract.
        using var audit = JsonDocument.Parse(await admin.GetStringAsync($"/v1/audit?feature={Feature}"));
        Assert.Equal(
            [
                "reviewer | change | review decision on g1 | 200 | graded informative fail, clarity 3",
                $"reviewer | read | opened the review queue of {Feature} | 200 | -",
                $"admin | change | PUT /v1/features/{Feature}/contract | 201 | saved as version 1",
            ],
            audit
                .RootElement.GetProperty("entries")
                .EnumerateArray()
                .Select(e =>
                    string.Join(
                        " | ",
                        e.GetProperty("role").GetString(),
                        e.GetProperty("action").GetString(),
                        e.GetProperty("target").GetString(),
                        e.GetProperty("status").GetInt32(),
                        e.TryGetProperty("detail", out var d) ? d.GetString() : "-"
                    )
                )
        );
    }
}
