using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The evaluations page in Chromium for a generative feature (examples/support-replies): a run of the real
/// <c>overlap eval</c> shows its acceptable rate, checks and criteria with intervals and verdicts, and its worst outputs;
/// a matrix run (<c>--outputs draft_v1,draft</c>) shows as a matrix, one column per output. Every figure on the page is
/// checked against the JSON reports.
/// </summary>
public sealed class GenerativeEvaluationsPageTests(DashboardServer server)
    : IClassFixture<DashboardServer>,
        IAsyncLifetime
{
    private const string Feature = "support-replies";
    private const float Timeout = 60_000;
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-generative-evals-").FullName;
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await DashboardBrowser.StartAsync(server.Address);

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Fixture(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "support-replies", name);

    /// <summary>Runs the real <c>overlap eval</c> (it exits by verdict: 0, 1 or 2).</summary>
    private static async Task OverlapAsync(params string[] args)
    {
        using var process = Overlap.Tests.Shared.ServeProcess.Start(args, drainOutput: false);
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode is 0 or 1 or 2, $"overlap {string.Join(' ', args)} exited {process.ExitCode}");
    }

    /// <summary>The cases with the earlier prompt's drafts beside the current ones, in draft_v1 and its grade columns.</summary>
    private string MatrixCases()
    {
        var merged = File.ReadAllLines(Fixture("cases.jsonl"))
            .Zip(File.ReadAllLines(Fixture("baseline.jsonl")))
            .Select(p =>
            {
                var row = JsonNode.Parse(p.First)!.AsObject();
                var old = JsonNode.Parse(p.Second)!.AsObject();
                row["draft_v1"] = old["draft"]?.DeepClone();
                row["rubric.factual.draft_v1"] = old["rubric.factual"]?.DeepClone();
                row["rubric.tone.draft_v1"] = old["rubric.tone"]?.DeepClone();
                return row.ToJsonString();
            });
        var path = Path.Combine(_folder, "matrix.jsonl");
        File.WriteAllLines(path, merged);
        return path;
    }

    private static async Task<long> UploadAsync(HttpClient client, string report, string name)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(report));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync(
            $"/v1/features/{Feature}/evaluations?name={Uri.EscapeDataString(name)}",
            content
        );
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        using var run = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return run.RootElement.GetProperty("id").GetInt64();
    }

    private static string Num(double x) => x.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>
    /// Checks every row the page shows for one column against that column's report: the figure, its interval and the
    /// verdict of the overall requirement on it (none when there is none).
    /// </summary>
    private static async Task AssertColumnAsync(IPage page, JsonElement report, string column)
    {
        var metrics = report.GetProperty("metrics");
        var names = metrics.EnumerateObject().Select(m => m.Name).ToList();
        Assert.Contains("acceptable_rate", names);
        Assert.Contains(names, n => n.StartsWith("check.", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("rubric.", StringComparison.Ordinal));
        foreach (var name in names)
        {
            var m = metrics.GetProperty(name);
            var cell = page.Locator(
                $"[data-testid=matrix-row][data-kind=metric][data-row='{name}'] [data-testid=matrix-cell][data-column='{column}']"
            );
            await Assertions
                .Expect(cell.GetByTestId("cell-value"))
                .ToHaveTextAsync(Num(m.GetProperty("value").GetDouble()), new() { Timeout = Timeout });
            await Assertions
                .Expect(cell.GetByTestId("cell-interval"))
                .ToHaveTextAsync(
                    $"{Num(m.GetProperty("ci_low").GetDouble())} – {Num(m.GetProperty("ci_high").GetDouble())}",
                    new() { Timeout = Timeout }
                );
            var requirement = report
                .GetProperty("requirements")
                .EnumerateArray()
                .Where(r => r.GetProperty("metric").GetString() == name && !r.TryGetProperty("by", out _))
                .Select(r => r.GetProperty("verdict").GetString())
                .FirstOrDefault();
            await Assertions
                .Expect(cell)
                .ToHaveAttributeAsync("data-verdict", requirement ?? "none", new() { Timeout = Timeout });
        }
    }

    [Fact]
    public async Task AGenerativeRunShowsItsFigures_AndAMatrixRunShowsAsAMatrix()
    {
        using var admin = server.Client(server.AdminKey);
        var put = await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(await File.ReadAllTextAsync(Fixture("overlap.yaml")))
        );
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        var contract = Fixture("overlap.yaml");
        var single = Path.Combine(_folder, "single.json");
        var matrix = Path.Combine(_folder, "matrix.json");
        await OverlapAsync("eval", "-c", contract, "-d", Fixture("cases.jsonl"), "--no-judge", "-o", single);
        await OverlapAsync(
            "eval",
            "-c",
            contract,
            "-d",
            MatrixCases(),
            "--outputs",
            "draft_v1,draft",
            "--no-judge",
            "-o",
            matrix
        );
        using var reviewer = server.Client(server.ReviewerKey);
        var singleId = await UploadAsync(reviewer, single, "prompt v2");
        var matrixId = await UploadAsync(reviewer, matrix, "v1 against v2");
        using var singleJson = JsonDocument.Parse(await File.ReadAllTextAsync(single));
        using var matrixJson = JsonDocument.Parse(await File.ReadAllTextAsync(matrix));

        var page = await _browser.SignedInAsync(server.ViewerKey);
        await page.GotoAsync($"/features/{Feature}/evaluations", new PageGotoOptions { Timeout = Timeout });
        await page.Locator($"[data-testid=run][data-id='{singleId}'] [data-testid=run-figures-link]")
            .ClickAsync(new() { Timeout = Timeout });
        await page.WaitForURLAsync($"**/evaluations?run={singleId}#figures", new() { Timeout = Timeout });
        await Assertions
            .Expect(page.GetByTestId("run-figures"))
            .ToHaveAttributeAsync("data-run", $"{singleId}", new() { Timeout = Timeout });
        // A single run is one column, named by the contract's output column.
        await Assertions
            .Expect(page.GetByTestId("matrix-column"))
            .ToHaveTextAsync(["draft"], new() { Timeout = Timeout });
        await AssertColumnAsync(page, singleJson.RootElement, "draft");
        var worst = singleJson.RootElement.GetProperty("worst_outputs").EnumerateArray();
        await Assertions
            .Expect(page.GetByTestId("worst-output"))
            .ToHaveCountAsync(
                singleJson.RootElement.GetProperty("worst_outputs").GetArrayLength(),
                new() { Timeout = Timeout }
            );
        Assert.Equal(
            worst.Select(w => w.GetProperty("id").GetString()),
            await page.GetByTestId("worst-output").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)")
        );
        // The colour follows the verdict: the tone requirement (mean ≥ 3.5) passes, the acceptable rate is not settled.
        var tone = page.Locator(
            "[data-testid=matrix-row][data-kind=metric][data-row='rubric.tone.mean'] [data-testid=matrix-cell]"
        );
        Assert.Equal(
            "rgb(226, 243, 233)",
            await tone.EvaluateAsync<string>("c => getComputedStyle(c).backgroundColor")
        );

        await page.GotoAsync(
            $"/features/{Feature}/evaluations?run={matrixId}",
            new PageGotoOptions { Timeout = Timeout }
        );
        await Assertions
            .Expect(page.GetByTestId("matrix-column"))
            .ToHaveTextAsync(["draft_v1", "draft"], new() { Timeout = Timeout });
        var outputs = matrixJson.RootElement.GetProperty("outputs");
        for (var i = 0; i < outputs.GetArrayLength(); i++)
        {
            var column = outputs[i].GetProperty("output").GetString()!;
            var report = outputs[i].GetProperty("report");
            await AssertColumnAsync(page, report, column);
            await Assertions
                .Expect(page.Locator($"[data-testid=matrix-row][data-row=verdict] [data-column='{column}']"))
                .ToHaveAttributeAsync(
                    "data-verdict",
                    report.GetProperty("verdict").GetString()!,
                    new() { Timeout = Timeout }
                );
        }
        await Assertions
            .Expect(page.GetByTestId("run-statements"))
            .ToContainTextAsync("draft_v1: NOT ENOUGH DATA YET", new() { Timeout = Timeout });
        await page.ScreenshotAsync(
            new PageScreenshotOptions
            {
                Path = Path.Combine(DashboardBrowser.Screenshots, "evaluations-matrix.png"),
                FullPage = true,
            }
        );

        await page.GotoAsync($"/features/{Feature}/evaluations?run=999999", new PageGotoOptions { Timeout = Timeout });
        await Assertions
            .Expect(page.GetByTestId("no-such-run"))
            .ToContainTextAsync("no run #999999", new() { Timeout = Timeout });
        Assert.Empty(_browser.Errors);
    }
}
