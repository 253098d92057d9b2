using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Overlap.Core.Reports;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The evaluations page in Chromium: a report written by the real <c>overlap eval</c> uploaded, a data file evaluated
/// from the page, the two compared, and every figure on the page checked against the JSON reports.
/// </summary>
public sealed class EvaluationsPageTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private const string Feature = "payments-fraud";
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-evals-page-").FullName;
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await DashboardBrowser.StartAsync(server.Address);

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>Runs the real <c>overlap</c> and returns what it printed; an eval exits by verdict (0, 1 or 2).</summary>
    private static async Task<string> OverlapAsync(params string[] args)
    {
        using var process = ServeProcess.Start(args, drainOutput: false);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode is 0 or 1 or 2, $"overlap {string.Join(' ', args)} exited {process.ExitCode}");
        return output;
    }

    /// <summary>
    /// January's first half as it is (run A), and its second half rescored by a model that scores higher (run B: score
    /// × 1.6, capped at 1), so the runs are on different examples and B flags more payments.
    /// </summary>
    private (string First, string Second, string SecondAsScored) SplitScored()
    {
        var lines = File.ReadAllLines(Fixture("payments-fraud-scored.csv"));
        var score = Array.IndexOf(lines[0].Split(','), "p_fraud");
        var half = (lines.Length - 1) / 2;
        var first = Path.Combine(_folder, "january-first-half.csv");
        File.WriteAllLines(first, lines.Take(half + 1));
        var secondAsScored = Path.Combine(_folder, "january-second-half.csv");
        File.WriteAllLines(secondAsScored, lines.Take(1).Concat(lines.Skip(half + 1)));
        var second = Path.Combine(_folder, "january-second-half-v2.csv");
        File.WriteAllLines(
            second,
            lines
                .Take(1)
                .Concat(
                    lines
                        .Skip(half + 1)
                        .Select(l =>
                        {
                            var cells = l.Split(',');
                            cells[score] = Math.Min(1, double.Parse(cells[score], CultureInfo.InvariantCulture) * 1.6)
                                .ToString("0.######", CultureInfo.InvariantCulture);
                            return string.Join(',', cells);
                        })
                )
        );
        return (first, second, secondAsScored);
    }

    private static string Fig(JsonElement m) =>
        m.GetProperty("value").ValueKind == JsonValueKind.Null
            ? "–"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{m.GetProperty("value").GetDouble():0.000} ({m.GetProperty("ci_low").GetDouble():0.000}–{m.GetProperty("ci_high").GetDouble():0.000})"
            );

    private static string WithoutCharts(string html) =>
        Regex.Replace(html, "<svg.*?</svg>", "<svg/>", RegexOptions.Singleline);

    private static string Signed(double x) => x.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AReportFromOverlapEval_AndAFileRunFromThePage_AreListedAndCompared_WithTheFiguresOfTheirJson()
    {
        var (first, second, secondAsScored) = SplitScored();
        var contract = Fixture("payments-fraud.yaml");
        var reportA = Path.Combine(_folder, "model-v1.json");
        await OverlapAsync("eval", "--contract", contract, "--data", first, "-o", reportA);
        using var jsonA = JsonDocument.Parse(await File.ReadAllTextAsync(reportA));

        var page = await _browser.SignedInAsync(server.ReviewerKey);
        await page.GotoAsync($"/features/{Feature}");
        await page.ClickAsync("[data-testid=evaluations-link]");
        await page.WaitForURLAsync($"{server.Address}/features/{Feature}/evaluations");
        await Assertions.Expect(page.Locator("[data-testid=no-runs]")).ToBeVisibleAsync();

        // A file that is neither a report nor data is refused with what to send; nothing is added.
        await page.SetInputFilesAsync(
            "[data-testid=upload-file]",
            new FilePayload
            {
                Name = "notes.pdf",
                MimeType = "application/pdf",
                Buffer = [1, 2, 3],
            }
        );
        await page.ClickAsync("[data-testid=upload-submit]");
        await Assertions
            .Expect(page.Locator("[data-testid=upload-error]"))
            .ToContainTextAsync("'notes.pdf' is not a .json report from overlap eval");
        Assert.Equal(0, await page.Locator("[data-testid=run]").CountAsync());

        // The report from overlap eval, uploaded as it is.
        await page.SetInputFilesAsync("[data-testid=upload-file]", reportA);
        await page.FillAsync("[data-testid=upload-name]", "model v1 <b>January</b>");
        await page.ClickAsync("[data-testid=upload-submit]");
        await page.WaitForURLAsync(new Regex(@"\?added=\d+$"));
        await Assertions
            .Expect(page.Locator("[data-testid=upload-added]"))
            .ToContainTextAsync("model v1 <b>January</b>");
        // A data file, evaluated on the server against the contract.
        await page.SetInputFilesAsync("[data-testid=upload-file]", second);
        await page.FillAsync("[data-testid=upload-name]", "model v2");
        await page.ClickAsync("[data-testid=upload-submit]");
        await page.WaitForURLAsync(new Regex(@"\?added=\d+$"));
        await Assertions.Expect(page.Locator("[data-testid=upload-added]")).ToContainTextAsync("model v2");

        using var api = server.Client(server.ViewerKey);
        using var runs = JsonDocument.Parse(await api.GetStringAsync($"/v1/features/{Feature}/evaluations"));
        var (idB, idA) = (
            runs.RootElement[0].GetProperty("id").GetInt64(),
            runs.RootElement[1].GetProperty("id").GetInt64()
        );
        // The run made from the page is the report overlap eval writes for that file; the upload is the CLI's report.
        var storedB = await api.GetStringAsync($"/v1/features/{Feature}/evaluations/{idB}");
        // Equal but for provenance, which names the contract as each side knew it (a file, or the server's version).
        var fromCli = ReportJson.ReadEvaluation(
            await OverlapAsync("eval", "--contract", contract, "--data", second, "--format", "json")
        )!;
        var fromServer = ReportJson.ReadEvaluation(storedB)!;
        Assert.Equal(
            ReportJson.Write(fromCli with { Provenance = null }),
            ReportJson.Write(fromServer with { Provenance = null })
        );
        Assert.Equal(
            fromCli.Provenance!.Data.Select(d => (d.Name, d.Sha256, d.Rows)),
            fromServer.Provenance!.Data.Select(d => (d.Name, d.Sha256, d.Rows))
        );
        Assert.Equal(
            (await File.ReadAllTextAsync(reportA)).TrimEnd(),
            await api.GetStringAsync($"/v1/features/{Feature}/evaluations/{idA}")
        );
        using var jsonB = JsonDocument.Parse(storedB);

        var rows = page.Locator("[data-testid=run]");
        Assert.Equal(2, await rows.CountAsync());
        foreach (var (row, json) in new[] { (rows.Nth(0), jsonB), (rows.Nth(1), jsonA) })
        {
            Assert.Equal(
                json.RootElement.GetProperty("n").GetInt64().ToString("#,0", CultureInfo.InvariantCulture),
                await row.Locator("[data-testid=run-n]").InnerTextAsync()
            );
            Assert.Equal(
                json.RootElement.GetProperty("verdict").GetString(),
                (await row.Locator("[data-testid=run-verdict]").InnerTextAsync()).Trim()
            );
        }
        // The name is text, never markup.
        Assert.Equal("model v1 <b>January</b>", await rows.Nth(1).Locator("[data-testid=run-name]").InnerTextAsync());
        await DashboardBrowser.ScreenshotAsync(page, "evaluations.png");

        // The same HTML report as overlap eval --format html. The server draws the charts from the JSON, whose figures
        // carry 12 decimals, so a coordinate can round the other way by 0.1 px; everything else is identical.
        var html = await page.RunAndWaitForResponseAsync(
            () => rows.Nth(1).Locator("[data-testid=run-report]").ClickAsync(),
            r => r.Url.EndsWith($"/evaluations/{idA}/report", StringComparison.Ordinal)
        );
        var cli = await OverlapAsync("eval", "--contract", contract, "--data", first, "--format", "html");
        // The stored run's provenance says when it was made, which a fresh overlap eval cannot repeat.
        static string WithoutTime(string text) =>
            Regex.Replace(text, @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "(time)");
        Assert.Equal(WithoutTime(WithoutCharts(cli)), WithoutTime(WithoutCharts(await html.TextAsync())));
        Assert.Equal(Regex.Count(cli, "<svg"), Regex.Count(await html.TextAsync(), "<svg"));
        await page.GoBackAsync();

        // Compare: A the uploaded report, B the run from the page.
        await page.SelectOptionAsync("[data-testid=compare-a]", idA.ToString(CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("[data-testid=compare-b]", idB.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=compare-submit]");
        await page.WaitForURLAsync(new Regex($@"\?a={idA}&b={idB}$"));
        using var comparison = JsonDocument.Parse(
            await api.GetStringAsync($"/v1/features/{Feature}/evaluations/compare?a={idA}&b={idB}")
        );
        var metrics = comparison.RootElement.GetProperty("metrics");
        Assert.Equal(
            jsonA.RootElement.GetProperty("metrics").EnumerateObject().Count(),
            await page.Locator("[data-testid=metric-row]").CountAsync()
        );
        foreach (var m in metrics.EnumerateArray())
        {
            var name = m.GetProperty("metric").GetString()!;
            var row = page.Locator($"[data-testid=metric-row][data-metric={name}]");
            Assert.Equal(
                Fig(jsonA.RootElement.GetProperty("metrics").GetProperty(name)),
                await row.Locator("[data-testid=metric-a]").InnerTextAsync()
            );
            Assert.Equal(
                Fig(jsonB.RootElement.GetProperty("metrics").GetProperty(name)),
                await row.Locator("[data-testid=metric-b]").InnerTextAsync()
            );
            var difference = m.GetProperty("difference").GetDouble();
            Assert.Equal(
                jsonB.RootElement.GetProperty("metrics").GetProperty(name).GetProperty("value").GetDouble()
                    - jsonA.RootElement.GetProperty("metrics").GetProperty(name).GetProperty("value").GetDouble(),
                difference,
                9
            );
            Assert.Equal(
                $"{Signed(difference)} ({Signed(m.GetProperty("ci_low").GetDouble())} to {Signed(m.GetProperty("ci_high").GetDouble())})",
                await row.Locator("[data-testid=metric-difference]").InnerTextAsync()
            );
            Assert.Equal(
                m.GetProperty("statement").GetString(),
                (await row.Locator("[data-testid=metric-statement]").InnerTextAsync()).Trim()
            );
        }
        // Rescored higher, B catches more fraud on other examples: recall's rise is real, and said in plain words.
        var recall = metrics.EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "recall");
        Assert.Equal("newcombe", recall.GetProperty("method").GetString());
        Assert.StartsWith("model v2 (#", recall.GetProperty("statement").GetString(), StringComparison.Ordinal);
        Assert.Contains(
            "'s recall is higher than model v1 <b>January</b> (#",
            recall.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            recall.GetProperty("significant").GetBoolean()
                ? "a real difference, for the better."
                : "not distinguishable from noise with these examples.",
            recall.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        // Requirements side by side, each verdict as its report has it.
        var requirements = page.Locator("[data-testid=requirement-row]");
        Assert.Equal(jsonA.RootElement.GetProperty("requirements").GetArrayLength(), await requirements.CountAsync());
        for (var i = 0; i < await requirements.CountAsync(); i++)
        {
            Assert.StartsWith(
                jsonA.RootElement.GetProperty("requirements")[i].GetProperty("verdict").GetString()!,
                await requirements.Nth(i).Locator("[data-testid=requirement-a]").InnerTextAsync(),
                StringComparison.Ordinal
            );
            Assert.StartsWith(
                jsonB.RootElement.GetProperty("requirements")[i].GetProperty("verdict").GetString()!,
                await requirements.Nth(i).Locator("[data-testid=requirement-b]").InnerTextAsync(),
                StringComparison.Ordinal
            );
        }
        Assert.True(
            await page.Locator("[data-testid=segment-row][data-segment='channel=web'][data-metric=recall]").CountAsync()
                == 1
        );
        await DashboardBrowser.ScreenshotAsync(page, "evaluations-compare.png");

        // Model v2 against the model in use on the same examples (overlap eval --baseline): the run carries the paired
        // comparison, shown as the authoritative one beside the comparison of runs.
        var paired = Path.Combine(_folder, "model-v2-paired.json");
        await OverlapAsync(
            "eval",
            "--contract",
            contract,
            "--data",
            second,
            "--baseline",
            secondAsScored,
            "-o",
            paired
        );
        using var jsonPaired = JsonDocument.Parse(await File.ReadAllTextAsync(paired));
        await page.SetInputFilesAsync("[data-testid=upload-file]", paired);
        await page.FillAsync("[data-testid=upload-name]", "model v2, paired with the current model");
        await page.ClickAsync("[data-testid=upload-submit]");
        await page.WaitForURLAsync(new Regex(@"\?added=\d+$"));
        var idPaired = long.Parse(new Uri(page.Url).Query.Split('=')[1], CultureInfo.InvariantCulture);
        await page.GotoAsync($"/features/{Feature}/evaluations?a={idA}&b={idPaired}");
        var differences = jsonPaired.RootElement.GetProperty("comparison").GetProperty("differences");
        var pairedRows = page.Locator("[data-testid=paired] [data-testid=paired-row]");
        Assert.Equal(differences.GetArrayLength(), await pairedRows.CountAsync());
        for (var i = 0; i < differences.GetArrayLength(); i++)
        {
            var d = differences[i];
            var cells = await pairedRows.Nth(i).Locator("td").AllInnerTextsAsync();
            Assert.Equal(
                d.GetProperty("baseline").GetDouble().ToString("0.000", CultureInfo.InvariantCulture),
                cells[1]
            );
            Assert.Equal(
                d.GetProperty("candidate").GetDouble().ToString("0.000", CultureInfo.InvariantCulture),
                cells[2]
            );
            Assert.StartsWith(Signed(d.GetProperty("difference").GetDouble()), cells[3], StringComparison.Ordinal);
            Assert.Equal(
                d.GetProperty("direction").GetString() == "no_real_difference"
                    ? "noise"
                    : "real: " + d.GetProperty("direction").GetString(),
                cells[5]
            );
        }
        await DashboardBrowser.ScreenshotAsync(page, "evaluations-paired.png");

        // A viewer sees the runs but no form.
        var viewer = await _browser.SignedInAsync(server.ViewerKey);
        await viewer.GotoAsync($"/features/{Feature}/evaluations");
        Assert.Equal(3, await viewer.Locator("[data-testid=run]").CountAsync());
        Assert.Equal(0, await viewer.Locator("[data-testid=upload-form]").CountAsync());

        // A post without the form's antiforgery token adds nothing, nor does a viewer's.
        IFormData Form()
        {
            var form = page.APIRequest.CreateFormData();
            form.Set(
                "file",
                new FilePayload
                {
                    Name = "model-v1.json",
                    MimeType = "application/json",
                    Buffer = File.ReadAllBytes(reportA),
                }
            );
            return form;
        }
        var forged = await page.APIRequest.PostAsync(
            $"/features/{Feature}/evaluations/upload",
            new() { Multipart = Form(), MaxRedirects = 0 }
        );
        Assert.Equal(302, forged.Status);
        Assert.Contains("/evaluations?error=", forged.Headers["location"], StringComparison.Ordinal);
        var denied = await viewer.APIRequest.PostAsync(
            $"/features/{Feature}/evaluations/upload",
            new() { Multipart = Form(), MaxRedirects = 0 }
        );
        Assert.Equal(302, denied.Status);
        Assert.Contains("/denied", denied.Headers["location"], StringComparison.Ordinal);
        using var after = JsonDocument.Parse(await api.GetStringAsync($"/v1/features/{Feature}/evaluations"));
        Assert.Equal(3, after.RootElement.GetArrayLength());

        // Runs A and B are on different examples, and B flags more payments: its positive rate is really higher, which
        // is neither better nor worse, and the summary says so instead of "no difference is real".
        await page.GotoAsync($"/features/{Feature}/evaluations?a={idA}&b={idB}");
        Assert.Contains(
            "compared as independent samples",
            await page.Locator("[data-testid=comparison-metrics-title]").InnerTextAsync(),
            StringComparison.Ordinal
        );
        var rate = await page.Locator(
                "[data-testid=metric-row][data-metric=positive_rate] [data-testid=metric-statement]"
            )
            .InnerTextAsync();
        Assert.EndsWith("a real difference.", rate.Trim(), StringComparison.Ordinal);
        Assert.Contains(
            "positive rate is really higher, which is neither better nor worse in itself",
            await page.Locator("[data-testid=comparison-statements]").InnerTextAsync(),
            StringComparison.Ordinal
        );

        // The model in use on the same second half (the paired run's baseline) against the paired run: the page says
        // they are the same examples, and every metric the paired block measured has the paired block's verdict.
        var baselineReport = Path.Combine(_folder, "model-v1-second-half.json");
        await OverlapAsync("eval", "--contract", contract, "--data", secondAsScored, "-o", baselineReport);
        using (var reviewer = server.Client(server.ReviewerKey))
        {
            using var body = new StringContent(
                await File.ReadAllTextAsync(baselineReport),
                System.Text.Encoding.UTF8,
                "application/json"
            );
            (
                await reviewer.PostAsync($"/v1/features/{Feature}/evaluations?name=model%20v1%20second%20half", body)
            ).EnsureSuccessStatusCode();
        }
        using var listed = JsonDocument.Parse(await api.GetStringAsync($"/v1/features/{Feature}/evaluations"));
        var idBaseline = listed.RootElement[0].GetProperty("id").GetInt64();
        await page.GotoAsync($"/features/{Feature}/evaluations?a={idBaseline}&b={idPaired}");
        Assert.Contains(
            "the same examples",
            await page.Locator("[data-testid=comparison-metrics-title]").InnerTextAsync(),
            StringComparison.Ordinal
        );
        var summary = await page.Locator("[data-testid=comparison-statements]").InnerTextAsync();
        Assert.Contains(
            $"Both runs are on the same {jsonPaired.RootElement.GetProperty("n").GetInt64():#,0} examples",
            summary,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("if they are the same examples", summary, StringComparison.Ordinal);
        for (var i = 0; i < differences.GetArrayLength(); i++)
        {
            var d = differences[i];
            var statement = await page.Locator(
                    $"[data-testid=metric-row][data-metric={d.GetProperty("metric").GetString()}] [data-testid=metric-statement]"
                )
                .InnerTextAsync();
            Assert.Contains("(paired: the same examples scored by both models", statement, StringComparison.Ordinal);
            Assert.Contains(
                d.GetProperty("significant").GetBoolean() ? "a real difference" : "not distinguishable from noise",
                statement,
                StringComparison.Ordinal
            );
        }
        await DashboardBrowser.ScreenshotAsync(page, "evaluations-same-examples.png");
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }
}
