using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// The feature page's charts in Debian's Chromium: each is drawn by Plotly with the figures the API returns for the
/// same 30 windows (<c>/metrics</c>) and the same merged range (<c>/summary</c>), and each says them in a sentence.
/// </summary>
public sealed class FeaturePageTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private readonly DashboardBrowser _browser = new(server);

    public Task InitializeAsync() => _browser.StartAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The page's 30 daily windows, as the API gives them: ending with today's.</summary>
    private static string Range()
    {
        var end = TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(1);
        return $"from={end.AddDays(-30):yyyy-MM-dd}&to={end:yyyy-MM-dd}";
    }

    /// <summary>The data of the Plotly chart inside <paramref name="selector"/>, once drawn: each trace's x, y and extras as JSON.</summary>
    private static async Task<JsonElement> ChartAsync(IPage page, string selector)
    {
        var plot = page.Locator($"{selector} .js-plotly-plot");
        await Assertions.Expect(plot.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var json = await plot.EvaluateAsync<string>(
            "e => JSON.stringify({ data: e.data, layout: { shapes: e.layout.shapes || [] } })"
        );
        return JsonDocument.Parse(json).RootElement;
    }

    private static double?[] Numbers(JsonElement array) =>
        [.. array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null)];

    private static double? Number(JsonElement e, params string[] path)
    {
        foreach (var name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }
        return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
    }

    private static void Equal(IReadOnlyList<double?> expected, IReadOnlyList<double?> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(
                expected[i] is null ? actual[i] is null : actual[i] is { } a && Math.Abs(a - expected[i]!.Value) < 1e-9,
                $"at {i}: expected {expected[i]}, drawn {actual[i]}"
            );
        }
    }

    [Fact]
    public async Task EveryChart_DrawsTheApisFigures_AndSaysThemInWords()
    {
        using var api = server.Client(server.ViewerKey);
        using var metricsDoc = JsonDocument.Parse(
            await api.GetStringAsync($"/v1/features/payments-fraud/metrics?{Range()}")
        );
        using var summaryDoc = JsonDocument.Parse(await api.GetStringAsync("/v1/features/payments-fraud/summary"));
        var windows = metricsDoc.RootElement.GetProperty("windows").EnumerateArray().ToList();
        var summary = summaryDoc.RootElement;
        Assert.Equal(30, windows.Count);

        var page = await _browser.SignedInAsync(server.ViewerKey);
        await page.GotoAsync("/features/payments-fraud");

        // The key metric per window, realised and estimated, and over the month in words.
        var key = (await ChartAsync(page, "[data-testid=metric-chart]")).GetProperty("data");
        Equal(
            [.. windows.Select(w => Number(w, "evaluation", "metrics", "recall", "value"))],
            Numbers(key[1].GetProperty("y"))
        );
        Equal(
            [.. windows.Select(w => Number(w, "estimated", "metrics", "recall", "value"))],
            Numbers(key[3].GetProperty("y"))
        );
        var recall = summary.GetProperty("evaluation").GetProperty("metrics").GetProperty("recall");
        Assert.StartsWith(
            $"Recall over the last 30 days is {Number(recall, "value")!.Value.ToString("0.000", Inv)} ({Number(recall, "ci_low")!.Value.ToString("0.000", Inv)} to {Number(recall, "ci_high")!.Value.ToString("0.000", Inv)}) on the {summary.GetProperty("labelled").GetInt64().ToString("#,0", Inv)} labelled predictions; estimated from all",
            await page.Locator("[data-testid=key-metric-statement]").InnerTextAsync(),
            StringComparison.Ordinal
        );

        // Volume and latency: one bar per window for predictions and for labels, the three percentiles as lines.
        var volume = await ChartAsync(page, "[data-testid=volume-chart]");
        var traces = volume.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(
            ["predictions", "with a label", "latency p50", "latency p95", "latency p99"],
            traces.Select(t => t.GetProperty("name").GetString())
        );
        Equal([.. windows.Select(w => Number(w, "predictions"))], Numbers(traces[0].GetProperty("y")));
        Equal([.. windows.Select(w => Number(w, "labelled"))], Numbers(traces[1].GetProperty("y")));
        Equal([.. windows.Select(w => Number(w, "latency_ms", "p95"))], Numbers(traces[3].GetProperty("y")));
        Assert.Equal(
            windows.Select(w => DateTimeOffset.Parse(w.GetProperty("start").GetString()!, Inv)),
            traces[0].GetProperty("x").EnumerateArray().Select(x => DateTimeOffset.Parse(x.GetString()!, Inv))
        );
        // The contract's latency bar (latency_p95_ms max 150) is drawn on the latency axis.
        Assert.Contains(volume.GetProperty("layout").GetProperty("shapes").EnumerateArray(), s =>
            s.GetProperty("y0").GetDouble() == 150 && s.GetProperty("yref").GetString() == "y2"
        );
        var volumeText = await page.Locator("[data-testid=volume-statement]").InnerTextAsync();
        Assert.Contains(
            $"{summary.GetProperty("predictions").GetInt64().ToString("#,0", Inv)} predictions in the last 30 days, {summary.GetProperty("labelled").GetInt64().ToString("#,0", Inv)} of them with a label",
            volumeText,
            StringComparison.Ordinal
        );
        Assert.Contains(
            $"95% within {Number(summary, "latency_ms", "p95")!.Value.ToString("#,0.#", Inv)} ms",
            volumeText,
            StringComparison.Ordinal
        );

        // Cost: the calls' cost the application sent, and the mistakes per 1,000 decisions of each labelled window.
        var cost = (await ChartAsync(page, "[data-testid=cost-chart]")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, cost.Count);
        Equal([.. windows.Select(w => Number(w, "cost_total"))], Numbers(cost[0].GetProperty("y")));
        Equal(
            [.. windows.Select(w => Number(w, "evaluation", "cost", "cost_per_1000"))],
            Numbers(cost[1].GetProperty("y"))
        );
        Assert.True(
            Numbers(cost[1].GetProperty("y")).Count(v => v is not null) >= 20,
            "the labelled days have a cost of mistakes"
        );
        var evaluation = summary.GetProperty("evaluation");
        Assert.Contains(
            $"cost {Number(evaluation, "cost", "cost_per_1000")!.Value.ToString("#,0.##", Inv)} EUR per 1,000 decisions",
            await page.Locator("[data-testid=costs-statement]").InnerTextAsync(),
            StringComparison.Ordinal
        );

        // Segments: recall per segment value with its interval, against recall over everything.
        var segments = await ChartAsync(page, "[data-testid=segment-chart]");
        var points = segments.GetProperty("data")[0];
        var expected = evaluation
            .GetProperty("segments")
            .EnumerateObject()
            .SelectMany(c =>
                c.Value.EnumerateObject()
                    .OrderBy(v => v.Name, StringComparer.Ordinal)
                    .Select(v =>
                        (Label: $"{c.Name} = {v.Name}", Recall: v.Value.GetProperty("metrics").GetProperty("recall"))
                    )
            )
            .ToList();
        Assert.Equal(
            expected.Select(e => e.Label),
            points.GetProperty("x").EnumerateArray().Select(x => x.GetString())
        );
        Equal([.. expected.Select(e => Number(e.Recall, "value"))], Numbers(points.GetProperty("y")));
        Equal(
            [.. expected.Select(e => Number(e.Recall, "ci_high") - Number(e.Recall, "value"))],
            Numbers(points.GetProperty("error_y").GetProperty("array"))
        );
        Equal(
            [.. expected.Select(e => Number(e.Recall, "value") - Number(e.Recall, "ci_low"))],
            Numbers(points.GetProperty("error_y").GetProperty("arrayminus"))
        );
        var all = Number(evaluation, "metrics", "recall", "value")!.Value;
        Assert.Contains(segments.GetProperty("layout").GetProperty("shapes").EnumerateArray(), s =>
            s.GetProperty("type").GetString() == "line" && Math.Abs(s.GetProperty("y0").GetDouble() - all) < 1e-12
        );
        // Channel is held to its own bar (min 0.60): a point drawn red is one whose whole interval lies below it.
        var colors = points
            .GetProperty("marker")
            .GetProperty("color")
            .EnumerateArray()
            .Select(c => c.GetString())
            .ToList();
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Label.StartsWith("channel = ", StringComparison.Ordinal))
            {
                Assert.Equal(Number(expected[i].Recall, "ci_high") < 0.60, colors[i] == "#f44336");
            }
        }
        Assert.StartsWith(
            $"Recall over every labelled prediction is {all.ToString("0.000", Inv)}",
            await page.Locator("[data-testid=segments-statement]").InnerTextAsync(),
            StringComparison.Ordinal
        );

        // The threshold/cost trade-off: the summary's sweep, the contract's threshold and the cost-optimal one.
        var tradeOff = (await ChartAsync(page, "[data-testid=tradeoff-chart]"))
            .GetProperty("data")
            .EnumerateArray()
            .ToList();
        var sweep = evaluation
            .GetProperty("threshold_sweep")
            .EnumerateArray()
            .Where(p => Number(p, "cost_per_1000") is not null)
            .ToList();
        Equal([.. sweep.Select(p => Number(p, "threshold"))], Numbers(tradeOff[0].GetProperty("x")));
        Equal([.. sweep.Select(p => Number(p, "cost_per_1000"))], Numbers(tradeOff[0].GetProperty("y")));
        var costs = evaluation.GetProperty("cost");
        Equal(
            [Number(costs, "threshold"), Number(costs, "cost_per_1000")],
            [.. Numbers(tradeOff[1].GetProperty("x")), .. Numbers(tradeOff[1].GetProperty("y"))]
        );
        Equal(
            [Number(costs, "optimal_threshold"), Number(costs, "optimal_cost_per_1000")],
            [.. Numbers(tradeOff[2].GetProperty("x")), .. Numbers(tradeOff[2].GetProperty("y"))]
        );
        var costText = await page.Locator("[data-testid=cost]").InnerTextAsync();
        Assert.Contains(
            $"At the threshold {Number(costs, "threshold")!.Value.ToString("0.###", Inv)}, mistakes cost {Number(costs, "cost_per_1000")!.Value.ToString("#,0.##", Inv)} EUR per 1,000 decisions over the last 30 days",
            costText,
            StringComparison.Ordinal
        );
        // The advice keeps the contract: when the cost-optimal threshold would break a requirement, the page advises the
        // cheapest threshold that keeps them all (marked on the chart too) and names the optimum only with what it breaks.
        var breaks =
            costs.TryGetProperty("optimal_effects", out var effects)
            && effects.ValueKind == JsonValueKind.Array
            && effects.EnumerateArray().Any(e => !e.GetProperty("kept").GetBoolean());
        if (!breaks)
        {
            Assert.Contains(
                $"the cost-optimal threshold {Number(costs, "optimal_threshold")!.Value.ToString("0.###", Inv)} would have cost {Number(costs, "optimal_cost_per_1000")!.Value.ToString("#,0.##", Inv)} EUR",
                costText,
                StringComparison.Ordinal
            );
        }
        else
        {
            Assert.Contains(
                $"The cheapest of all, {Number(costs, "optimal_threshold")!.Value.ToString("0.###", Inv)} at {Number(costs, "optimal_cost_per_1000")!.Value.ToString("#,0.##", Inv)} EUR, would break the contract: ",
                costText,
                StringComparison.Ordinal
            );
            Assert.DoesNotContain("the cost-optimal threshold", costText, StringComparison.Ordinal);
            if (
                Number(costs, "constrained_threshold") is { } kept
                && Number(costs, "constrained_cost_per_1000") < Number(costs, "cost_per_1000") - 0.005
            )
            {
                Assert.Contains(
                    $"The cheapest threshold that keeps every requirement is {kept.ToString("0.###", Inv)}: it would have cost {Number(costs, "constrained_cost_per_1000")!.Value.ToString("#,0.##", Inv)} EUR",
                    costText,
                    StringComparison.Ordinal
                );
                Equal(
                    [kept, Number(costs, "constrained_cost_per_1000")],
                    [.. Numbers(tradeOff[3].GetProperty("x")), .. Numbers(tradeOff[3].GetProperty("y"))]
                );
            }
            else
            {
                Assert.Contains("No threshold", costText, StringComparison.Ordinal);
            }
        }

        await page.ScreenshotAsync(
            new PageScreenshotOptions
            {
                Path = Path.Combine(DashboardBrowser.Screenshots, "feature-charts.png"),
                FullPage = true,
            }
        );
        foreach (var section in new[] { "key-metric", "volume", "costs", "segments", "threshold" })
        {
            await page.Locator($"section[data-testid={section}]")
                .ScreenshotAsync(
                    new LocatorScreenshotOptions
                    {
                        Path = Path.Combine(DashboardBrowser.Screenshots, $"feature-{section}.png"),
                    }
                );
        }
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }

    [Fact]
    public async Task Drift_ShowsEachColumnOverTheReference_ForTheWindowPicked_WithSchemaChangesAndTheRetrainEvidence()
    {
        using var api = server.Client(server.ViewerKey);
        using var metricsDoc = JsonDocument.Parse(
            await api.GetStringAsync($"/v1/features/payments-fraud/metrics?{Range()}")
        );
        var report = metricsDoc.RootElement;
        var tested = report
            .GetProperty("windows")
            .EnumerateArray()
            .Where(w => w.TryGetProperty("drift", out _))
            .ToList();
        // The fixture's last three days are shifted: they drift as a data set; its last day brings a channel never seen.
        Assert.True(tested.Count >= 20, $"{tested.Count} windows tested for drift");
        Assert.True(tested.Count(w => w.GetProperty("drift").GetProperty("dataset_drift").GetBoolean()) >= 2);

        var page = await _browser.SignedInAsync(server.ViewerKey);
        await page.GotoAsync("/features/payments-fraud");

        // By default the latest window with a drift report, each of its columns drawn: reference and window, bin by bin.
        var latest = tested[^1];
        var select = page.Locator("[data-testid=drift-window]");
        await Assertions.Expect(select).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.Equal(When(latest), await select.InputValueAsync());
        await ColumnsEqualAsync(page, latest);
        await page.Locator("[data-testid=drift]")
            .ScreenshotAsync(
                new LocatorScreenshotOptions { Path = Path.Combine(DashboardBrowser.Screenshots, "feature-drift.png") }
            );

        // Another window picked: its own columns and figures.
        var earlier = tested[^10];
        await select.SelectOptionAsync(When(earlier));
        await Assertions.Expect(page.Locator("[data-testid=drift-summary]")).ToContainTextAsync(When(earlier));
        await ColumnsEqualAsync(page, earlier);

        // Schema changes, each with the window it appeared in.
        var changes = tested
            .SelectMany(w =>
                w.GetProperty("drift")
                    .GetProperty("schema")
                    .EnumerateArray()
                    .Select(s =>
                        (
                            Window: When(w),
                            Column: s.GetProperty("column").GetString()!,
                            Detail: s.GetProperty("detail").GetString()!
                        )
                    )
            )
            .ToList();
        Assert.Contains(changes, c => c.Column == "channel" && c.Detail.Contains("'kiosk'", StringComparison.Ordinal));
        var listed = await page.Locator("[data-testid=schema-change]").AllInnerTextsAsync();
        Assert.Equal(changes.Count, listed.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            Assert.StartsWith($"{changes[i].Window}: {changes[i].Column},", listed[i], StringComparison.Ordinal);
            Assert.EndsWith(changes[i].Detail, listed[i], StringComparison.Ordinal);
        }

        // The retrain advice over the same windows, with its evidence linked to each window's row.
        var retrain = report.GetProperty("retrain");
        Assert.True(retrain.GetProperty("recommended").GetBoolean());
        Assert.Equal(
            retrain.GetProperty("statement").GetString(),
            await page.Locator("[data-testid=retrain-statement]").InnerTextAsync()
        );
        var evidence = retrain.GetProperty("evidence").EnumerateArray().ToList();
        var items = page.Locator("[data-testid=evidence]");
        Assert.Equal(evidence.Count, await items.CountAsync());
        for (var i = 0; i < evidence.Count; i++)
        {
            var start = DateTimeOffset.Parse(evidence[i].GetProperty("start").GetString()!, Inv);
            var href = await items.Nth(i).Locator("a").GetAttributeAsync("href");
            Assert.EndsWith($"#window-{start:yyyy-MM-dd'T'HH-mm}", href, StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator($"tr[id=window-{start:yyyy-MM-dd'T'HH-mm}]").CountAsync());
            Assert.Contains(
                evidence[i].GetProperty("reason").GetString()!,
                await items.Nth(i).InnerTextAsync(),
                StringComparison.Ordinal
            );
        }
        // Following a piece of evidence brings its window's row into view.
        var first = DateTimeOffset.Parse(evidence[0].GetProperty("start").GetString()!, Inv);
        await items.Nth(0).Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator($"tr[id=window-{first:yyyy-MM-dd'T'HH-mm}]")).ToBeInViewportAsync();
        await page.Locator("[data-testid=verdict]")
            .ScreenshotAsync(
                new LocatorScreenshotOptions
                {
                    Path = Path.Combine(DashboardBrowser.Screenshots, "feature-verdict.png"),
                }
            );
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }

    private static string When(JsonElement window) =>
        DateTimeOffset.Parse(window.GetProperty("start").GetString()!, Inv).ToString("yyyy-MM-dd HH:mm", Inv);

    /// <summary>Each column of the window is shown with its verdict and its two distributions, as the API reports them.</summary>
    private static async Task ColumnsEqualAsync(IPage page, JsonElement window)
    {
        var drift = window.GetProperty("drift");
        Assert.Equal(
            $"{When(window)}: {drift.GetProperty("statements")[0].GetString()}",
            await page.Locator("[data-testid=drift-summary]").InnerTextAsync()
        );
        var columns = drift.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(columns.Count, await page.Locator("[data-testid=drift-column]").CountAsync());
        foreach (var column in columns)
        {
            var name = column.GetProperty("column").GetString()!;
            var card = page.Locator($"[data-testid=drift-column][data-column={name}]");
            var test = await card.Locator("[data-testid=drift-test]").InnerTextAsync();
            Assert.EndsWith(
                column.GetProperty("drift").GetBoolean() ? ": drifted" : ": stable",
                test,
                StringComparison.Ordinal
            );
            if (Number(column, "p_value") is { } p)
            {
                Assert.Contains(
                    p < 0.0001 ? "p < 0.0001" : $"p = {p.ToString("0.####", Inv)}",
                    test,
                    StringComparison.Ordinal
                );
            }
            var chart = (await ChartAsync(page, $"[data-testid=drift-column][data-column={name}]")).GetProperty("data");
            var distribution = column.GetProperty("distribution");
            Assert.Equal(
                distribution.GetProperty("bins").EnumerateArray().Select(b => b.GetString()),
                chart[0].GetProperty("x").EnumerateArray().Select(b => b.GetString())
            );
            Equal(Numbers(distribution.GetProperty("reference")), Numbers(chart[0].GetProperty("y")));
            Equal(Numbers(distribution.GetProperty("current")), Numbers(chart[1].GetProperty("y")));
        }
    }

    [Fact]
    public async Task AFeatureWithoutData_SaysHowToSendIt_WithEventsTheServerAccepts_InsteadOfEmptyCharts()
    {
        // A new feature: its contract and no event yet.
        const string Feature = "new-checkout";
        using var admin = server.Client(server.AdminKey);
        var yaml = (
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
        ).Replace("feature: payments-fraud", $"feature: {Feature}", StringComparison.Ordinal);
        (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).EnsureSuccessStatusCode();

        // The overview says there is nothing yet and links to how to send it.
        var page = await _browser.SignedInAsync(server.ViewerKey);
        var card = page.Locator($"[data-testid=feature][data-feature={Feature}]");
        await Assertions
            .Expect(card.Locator("[data-testid=no-data]"))
            .ToContainTextAsync("No predictions yet", new() { Timeout = 30_000 });
        Assert.EndsWith(
            $"/features/{Feature}#send-data",
            await card.Locator("[data-testid=no-data] a").GetAttributeAsync("href"),
            StringComparison.Ordinal
        );

        // The feature page shows how to send the first events instead of charts with no data and meaningless axes.
        await page.GotoAsync($"/features/{Feature}");
        var hint = page.Locator("[data-testid=send-data]");
        await Assertions.Expect(hint).ToBeVisibleAsync(new() { Timeout = 30_000 });
        foreach (var empty in new[] { "key-metric", "volume", "costs", "drift", "windows" })
        {
            Assert.Equal(0, await page.Locator($"section[data-testid={empty}]").CountAsync());
        }
        Assert.Equal(0, await page.Locator(".js-plotly-plot").CountAsync());
        await DashboardBrowser.ScreenshotAsync(page, "feature-without-data.png");
        var curl = await hint.Locator("[data-testid=send-data-curl]").InnerTextAsync();
        Assert.StartsWith(
            "curl -X POST -H \"Authorization: Bearer $OVERLAP_KEY\" -H \"Content-Type: application/x-ndjson\"",
            curl,
            StringComparison.Ordinal
        );
        Assert.Contains($"{server.Address}/v1/events <<'NDJSON'", curl, StringComparison.Ordinal);
        var sdk = await hint.Locator("[data-testid=send-data-sdk]").InnerTextAsync();
        Assert.Contains($"o.Endpoint = new Uri(\"{server.Address}\");", sdk, StringComparison.Ordinal);
        Assert.Contains($"overlap.LogPrediction(new PredictionEvent", sdk, StringComparison.Ordinal);
        Assert.Contains($"Feature = \"{Feature}\"", sdk, StringComparison.Ordinal);
        Assert.Contains(
            "LogOutcome(new OutcomeEvent",
            await hint.Locator("[data-testid=send-outcome-sdk]").InnerTextAsync(),
            StringComparison.Ordinal
        );

        // The example events are shaped after the contract (its score, latency and segments) and the server takes both.
        var lines = curl.Split('\n')
            .SkipWhile(l => !l.EndsWith("<<'NDJSON'", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(l => l != "NDJSON")
            .ToList();
        Assert.Equal(2, lines.Count);
        using (var prediction = JsonDocument.Parse(lines[0]))
        {
            var p = prediction.RootElement;
            Assert.Equal(
                ("prediction", Feature, 0.87, 42),
                (
                    p.GetProperty("type").GetString(),
                    p.GetProperty("feature").GetString(),
                    p.GetProperty("score").GetDouble(),
                    p.GetProperty("latency_ms").GetInt32()
                )
            );
            Assert.Equal(["channel", "region"], p.GetProperty("attributes").EnumerateObject().Select(a => a.Name));
        }
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(string.Join('\n', lines), System.Text.Encoding.UTF8, "application/x-ndjson")
        );
        using var answer = JsonDocument.Parse(await sent.Content.ReadAsStringAsync());
        Assert.Equal(202, (int)sent.StatusCode);
        Assert.Equal(
            (2, 0),
            (
                answer.RootElement.GetProperty("accepted").GetInt32(),
                answer.RootElement.GetProperty("rejected").GetArrayLength()
            )
        );

        // With a labelled prediction, the charts take the hint's place (once the current window is recomputed: seconds, minutes on a loaded machine).
        var until = TimeProvider.System.GetUtcNow().AddSeconds(150);
        do
        {
            await page.ReloadAsync(new() { Timeout = 60_000 });
        } while (
            await page.Locator("section[data-testid=key-metric]").CountAsync() == 0
            && TimeProvider.System.GetUtcNow() < until
            && await Pause()
        );
        await Assertions
            .Expect(page.Locator("section[data-testid=key-metric]"))
            .ToBeVisibleAsync(new() { Timeout = 5_000 });
        Assert.Equal(0, await page.Locator("[data-testid=send-data]").CountAsync());
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));

        static async Task<bool> Pause()
        {
            await Task.Delay(1_000);
            return true;
        }
    }
}
