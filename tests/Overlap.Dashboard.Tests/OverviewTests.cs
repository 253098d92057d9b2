using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>The dashboard in Debian's Chromium, driven by Playwright, against a real overlap serve on loopback.</summary>
public sealed class OverviewTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private readonly DashboardBrowser _browser = new(server);

    /// <summary>Where screenshots are kept for a person to look at.</summary>
    public static string Screenshots => DashboardBrowser.Screenshots;

    public Task InitializeAsync() => _browser.StartAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private Task<IPage> NewPageAsync() => _browser.NewPageAsync();

    private Task<IPage> SignedInAsync(string key) => _browser.SignedInAsync(key);

    [Fact]
    public async Task Overview_ShowsEachFeatureJudgedOverThirtyDays_InPlainWords()
    {
        var page = await SignedInAsync(server.ViewerKey);
        var feature = page.Locator("[data-testid=feature][data-feature=payments-fraud]");
        await Assertions.Expect(feature).ToBeVisibleAsync();
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "overview.png"), FullPage = true }
        );

        // The range holds every payment of the last 30 days; the verdict is the contract's over the labelled ones.
        var volume = await feature.Locator("[data-testid=volume]").InnerTextAsync();
        var (predictions, labelled) = server.InLast30Days;
        Assert.True(predictions > 5000, $"{predictions} payments in range");
        Assert.Contains(
            $"{predictions:#,0} predictions, {labelled:#,0} with a label",
            volume,
            StringComparison.Ordinal
        );
        var verdict = await feature.Locator("[data-testid=verdict]").InnerTextAsync();
        Assert.Contains(verdict.Trim(), new[] { "meets its contract", "misses its contract", "not settled yet" });
        // Each judged requirement is a sentence a product manager can read.
        var requirements = await feature.Locator("[data-testid=requirements] .mud-list-item").AllInnerTextsAsync();
        Assert.True(requirements.Count >= 5, $"{requirements.Count} requirement statements");
        Assert.Contains(requirements, r => r.Contains("fraudulent payment", StringComparison.Ordinal));
        Assert.True(
            await feature.Locator("[data-testid=sparkline] polyline").CountAsync() > 0,
            "the key metric's sparkline is drawn"
        );
        Assert.Contains(
            "(viewer)",
            await page.Locator("[data-testid=signed-in-as]").InnerTextAsync(),
            StringComparison.Ordinal
        );
        // The review queue in figures, the same as the API's.
        using var api = server.Client(server.ViewerKey);
        using var queue = System.Text.Json.JsonDocument.Parse(
            await api.GetStringAsync("/v1/features/payments-fraud/review")
        );
        var pending = queue.RootElement.GetProperty("counts").GetProperty("pending").GetInt64();
        Assert.True(pending > 0);
        await page.ReloadAsync();
        Assert.Contains(
            $"{pending} pending",
            await feature.Locator("[data-testid=review-figures]").InnerTextAsync(),
            StringComparison.Ordinal
        );
        // Blazor's script and the component library's came from the server itself and started without an error.
        Assert.True(
            await page.EvaluateAsync<bool>("() => typeof window.Blazor === 'object'"),
            "blazor.web.js is loaded"
        );
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }

    [Fact]
    public async Task AFeature_ShowsEachWindow_RealisedBesideEstimated()
    {
        var page = await SignedInAsync(server.ViewerKey);
        await page.ClickAsync("[data-testid=feature-link]");
        await page.WaitForURLAsync($"{server.Address}/features/payments-fraud");
        var rows = page.Locator("[data-testid=window]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        // The chart library's script came from the server and drew the realised and estimated lines with their bands.
        await Assertions
            .Expect(page.Locator("[data-testid=metric-chart] svg.main-svg").First)
            .ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(4, await page.Locator("[data-testid=metric-chart] g.trace.scatter").CountAsync());
        Assert.Equal(2, await page.Locator("[data-testid=metric-chart] .legendtext").CountAsync());
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "feature.png"), FullPage = true }
        );
        Assert.Equal(30, await rows.CountAsync());
        // Newest first: today has no labels yet and shows only the estimate; a labelled day shows both with intervals.
        var cells = await rows.Nth(10).Locator("td").AllInnerTextsAsync();
        Assert.Matches(@"^[01]\.\d{3} \([01]\.\d{3}–[01]\.\d{3}\)$", cells[4]);
        Assert.Matches(@"^[01]\.\d{3} \([01]\.\d{3}–[01]\.\d{3}\)$", cells[5]);
        var newest = await rows.Nth(0).Locator("td").AllInnerTextsAsync();
        Assert.Equal("no labels yet", newest[3]);

        // The month by segment: the same figures the summary API gives, and the cost at the threshold against the optimum.
        using var viewer = server.Client(server.ViewerKey);
        using var summary = System.Text.Json.JsonDocument.Parse(
            await viewer.GetStringAsync("/v1/features/payments-fraud/summary")
        );
        var web = summary
            .RootElement.GetProperty("evaluation")
            .GetProperty("segments")
            .GetProperty("channel")
            .GetProperty("web");
        var recall = web.GetProperty("metrics").GetProperty("recall");
        var figure = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{recall.GetProperty("value").GetDouble():0.000} ({recall.GetProperty("ci_low").GetDouble():0.000}–{recall.GetProperty("ci_high").GetDouble():0.000})"
        );
        var segment = page.Locator("[data-testid=segment]", new PageLocatorOptions { HasText = "channel = web" });
        Assert.Equal(
            [
                "channel = web",
                web.GetProperty("n").GetInt64().ToString("#,0", System.Globalization.CultureInfo.InvariantCulture),
                figure,
            ],
            await segment.Locator("td").AllInnerTextsAsync()
        );
        Assert.Contains(
            "per 1,000 decisions over the last 30 days",
            await page.Locator("[data-testid=cost]").InnerTextAsync(),
            StringComparison.Ordinal
        );

        // The contract in plain words: exactly what overlap contract explain says of the same file.
        await page.ClickAsync("[data-testid=contract-link]");
        await page.WaitForURLAsync($"{server.Address}/features/payments-fraud/contract");
        var explain = await page.Locator("[data-testid=explain]").InnerTextAsync();
        var expected = Overlap.Core.Contracts.ContractExplainer.Explain(
            Overlap.Core.Contracts.ContractParser.Parse(
                await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        Assert.Equal(expected.Trim().ReplaceLineEndings("\n"), explain.Trim().ReplaceLineEndings("\n"));
        Assert.Equal(1, await page.Locator("[data-testid=versions] tbody tr").CountAsync());
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "contract.png"), FullPage = true }
        );
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }

    [Fact]
    public async Task Alerts_ShowTheStatesTheServerJudged_AndTheirHistory()
    {
        // Judge a labelled day on demand, as the scheduler does when its labels fall due.
        var day = TimeProvider
            .System.GetUtcNow()
            .UtcDateTime.Date.AddDays(-10)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var admin = server.Client(server.AdminKey);
        (
            await admin.PostAsync($"/v1/features/payments-fraud/alerts/evaluate?window={day}", null)
        ).EnsureSuccessStatusCode();
        async Task<(List<(string Check, string State)> States, int History)> AlertsAsync()
        {
            using var api = System.Text.Json.JsonDocument.Parse(
                await admin.GetStringAsync("/v1/features/payments-fraud/alerts")
            );
            var states = api
                .RootElement.GetProperty("states")
                .EnumerateArray()
                .Select(s => (s.GetProperty("check").GetString()!, s.GetProperty("state").GetString()!))
                .ToList();
            return (states, api.RootElement.GetProperty("history").GetArrayLength());
        }

        var page = await SignedInAsync(server.ViewerKey);
        await page.GotoAsync("/features/payments-fraud");
        // The feature page links the alerts. Followed in page (Blazor's enhanced navigation) while Plotly still draws, the
        // link leaves Plotly looking for a chart that is gone (a console error), so the test loads the page it names.
        var alertsLink = await page.GetAttributeAsync(
            "[data-testid=alerts-link]",
            "href",
            new PageGetAttributeOptions { Timeout = 60_000 }
        );
        Assert.EndsWith("/features/payments-fraud/alerts", alertsLink, StringComparison.Ordinal);
        // The scheduler judges the latest windows in the background and may change a state between two reads (it once
        // turned data drift from warning to ok in between), so the page is compared with the API read on both sides of
        // it, and read again while the two differ.
        for (var attempt = 1; ; attempt++)
        {
            var before = await AlertsAsync();
            Assert.NotEmpty(before.States);
            await page.GotoAsync("/features/payments-fraud/alerts");
            var rows = page.Locator("[data-testid=states] tbody tr");
            var shown = new List<(string, string)>();
            for (var i = 0; i < await rows.CountAsync(); i++)
            {
                var cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
                shown.Add((cells[0], cells[1].Trim()));
            }
            var history = await page.Locator("[data-testid=history] tbody tr").CountAsync();
            var after = await AlertsAsync();
            if (attempt < 5 && (!before.States.SequenceEqual(after.States) || before.History != after.History))
            {
                continue;
            }
            await page.ScreenshotAsync(
                new PageScreenshotOptions { Path = Path.Combine(Screenshots, "alerts.png"), FullPage = true }
            );
            Assert.Equal(after.States, shown);
            // Every check left no_data when it was first judged: one change each in the history.
            Assert.Equal(after.History, history);
            break;
        }
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }

    [Fact]
    public async Task AReviewer_DecidesWithOneKey_AndTheMetricsCountTheLabel_WhileAViewerMayNotDecide()
    {
        using var api = server.Client(server.AdminKey);
        async Task<long> OutcomesAsync() =>
            System
                .Text.Json.JsonDocument.Parse(await api.GetStringAsync("/v1/features/payments-fraud/counts"))
                .RootElement.GetProperty("outcomes")
                .GetInt64();

        // A viewer sees the item but has no way to decide, by button or by key.
        var viewer = await SignedInAsync(server.ViewerKey);
        await viewer.GotoAsync("/features/payments-fraud/review");
        // The interactive page starts its circuit first: seconds on a loaded machine.
        await Assertions
            .Expect(viewer.Locator("[data-testid=viewer-only]"))
            .ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Equal(0, await viewer.Locator("[data-testid=approve]").CountAsync());
        var figures = await viewer.Locator("[data-testid=queue-figures]").InnerTextAsync();
        await viewer.Locator("[data-testid=review-item]").PressAsync("a");
        await viewer.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "review-viewer.png"), FullPage = true }
        );

        var reviewer = await SignedInAsync(server.ReviewerKey);
        await reviewer.GotoAsync("/features/payments-fraud/review");
        var item = reviewer.Locator("[data-testid=review-item]");
        await Assertions.Expect(item).ToBeFocusedAsync(new() { Timeout = 30_000 });
        var first = await item.GetAttributeAsync("data-prediction");
        Assert.Contains(
            " 0 decided",
            await reviewer.Locator("[data-testid=queue-figures]").InnerTextAsync(),
            StringComparison.Ordinal
        );
        await reviewer.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "review.png"), FullPage = true }
        );
        var outcomes = await OutcomesAsync();

        // What waits is listed oldest first, each with why it was routed, the item shown among them.
        var waiting = reviewer.Locator("[data-testid=waiting-item]");
        Assert.True(await waiting.CountAsync() > 1);
        Assert.Equal(1, await reviewer.Locator($"[data-testid=waiting-item][data-prediction='{first}']").CountAsync());
        var routedAt = await waiting.Locator("td:first-child").AllInnerTextsAsync();
        Assert.Equal(routedAt.Order(StringComparer.Ordinal), routedAt);
        Assert.All(await waiting.Locator("[data-testid=waiting-why]").AllInnerTextsAsync(), why =>
            Assert.True(
                why.StartsWith("uncertain score (score between 0.4 and 0.6)", StringComparison.Ordinal)
                    || why.StartsWith("random sample", StringComparison.Ordinal),
                why
            )
        );
        // The inputs read as names and values, never raw JSON; the model's answer in the contract's words, its score as a chance.
        Assert.Equal(1, await item.Locator("[data-testid=inputs] [data-testid=field][data-name=amount]").CountAsync());
        Assert.Matches(
            "^[a-z]+$",
            (
                await item.Locator(
                        "[data-testid=attributes] [data-testid=field][data-name=channel] [data-testid=field-value]"
                    )
                    .InnerTextAsync()
            ).Trim()
        );
        Assert.DoesNotContain(
            "{",
            await item.Locator("[data-testid=inputs]").InnerTextAsync(),
            StringComparison.Ordinal
        );
        Assert.Matches(
            @"^The model said (fraud: fraudulent payment, held for review|legit: legitimate payment, not held for review): (nearly )?\d+(\.\d)?% chance of fraudulent payment, by the model's estimate \(payments from 15% are held for review\)\.$",
            (await item.Locator("[data-testid=model-output]").InnerTextAsync()).Trim()
        );

        // One key: R rejects (the model was wrong), with the failure category chosen; the next item comes up, focused for the next key.
        await item.Locator("[data-testid=category]").SelectOptionAsync("stolen_card");
        await item.PressAsync("r");
        await Assertions
            .Expect(reviewer.Locator("[data-testid=review-message]"))
            .ToContainTextAsync($"{first}: rejected; recorded as");
        await Assertions.Expect(reviewer.Locator("[data-testid=queue-figures]")).ToContainTextAsync(" 1 decided");
        Assert.NotEqual(
            first,
            await reviewer.Locator("[data-testid=review-item]").GetAttributeAsync("data-prediction")
        );
        await reviewer.Locator("[data-testid=review-item]").PressAsync("a");
        await Assertions.Expect(reviewer.Locator("[data-testid=queue-figures]")).ToContainTextAsync(" 2 decided");
        // S skips: the item is given back at once (another reviewer can claim it) and the next one comes up.
        var skipped = await reviewer.Locator("[data-testid=review-item]").GetAttributeAsync("data-prediction");
        await reviewer.Locator("[data-testid=review-item]").PressAsync("s");
        await Assertions
            .Expect(reviewer.Locator("[data-testid=review-item]"))
            .Not.ToHaveAttributeAsync("data-prediction", skipped!);
        Assert.Equal(
            System.Net.HttpStatusCode.OK,
            (await api.PostAsync($"/v1/features/payments-fraud/review/{skipped}/claim", null)).StatusCode
        );
        // C then 2 corrects to the second answer the contract names (legit); the choices are shown with their numbers.
        var corrected = await reviewer.Locator("[data-testid=review-item]").GetAttributeAsync("data-prediction");
        await reviewer.Locator("[data-testid=review-item]").PressAsync("c");
        await Assertions.Expect(reviewer.Locator("[data-testid=labels]")).ToContainTextAsync("2: legit");
        await reviewer.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "review-correct.png"), FullPage = true }
        );
        await reviewer.Locator("[data-testid=review-item]").PressAsync("2");
        await Assertions
            .Expect(reviewer.Locator("[data-testid=review-message]"))
            .ToContainTextAsync($"{corrected}: corrected to legit; recorded as legit");
        await Assertions.Expect(reviewer.Locator("[data-testid=queue-figures]")).ToContainTextAsync(" 3 decided");
        // The decisions broken down by the contract's failure categories: the rejection was a stolen card.
        await Assertions
            .Expect(reviewer.Locator("[data-testid=breakdown-summary]"))
            .ToContainTextAsync("Of 3 settled decisions");
        Assert.Equal(
            "1",
            await reviewer
                .Locator("[data-testid=breakdown-row][data-group=stolen_card] [data-testid=breakdown-count]")
                .InnerTextAsync()
        );
        Assert.Equal(
            ["stolen_card", "friendly_fraud", "merchant_error", "other"],
            (
                await reviewer
                    .Locator("[data-testid=breakdown-row]")
                    .EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.group)")
            ).Where(g => g != "no category given")
        );
        await reviewer.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "review-breakdown.png"), FullPage = true }
        );
        // Today, the last of the 14 days, has the three decisions.
        await Assertions
            .Expect(reviewer.Locator("[data-testid=decided-per-day]"))
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"(0 · ){13}3\s*$"));
        // Each decision is an outcome in the store (the latest label of a prediction is the one the metrics use).
        Assert.Equal(outcomes + 3, await OutcomesAsync());
        // The viewer's key press changed nothing.
        Assert.Contains(" 0 decided", figures, StringComparison.Ordinal);
        Assert.True(_browser.Errors.Count == 0, string.Join('\n', _browser.Errors));
    }

    [Fact]
    public async Task SignIn_AnOverviewSlowerThanThePageDefaults_IsWaitedForWithTheHelpersTimeout()
    {
        // A loaded machine, in small: the overview answers after 3 s while the page's own defaults are 1 s, as the
        // click's default of 30 s was shorter than a cold overview under load. Every step must use the helper's timeout.
        var page = await NewPageAsync();
        page.SetDefaultTimeout(1_000);
        page.SetDefaultNavigationTimeout(1_000);
        await page.RouteAsync(
            url => url == $"{server.Address}/",
            async route =>
            {
                await Task.Delay(3_000);
                await route.ContinueAsync();
            }
        );
        await _browser.SignInAsync(page, server.ViewerKey);
        await Assertions
            .Expect(page.Locator("[data-testid=signed-in-as]"))
            .ToContainTextAsync("(viewer)", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task AnUnknownKey_IsRefusedWithWhatToDo_AndNothingIsShown()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#key", "ovl_not-a-key");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=signin-problem]")).ToContainTextAsync("not known here");
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, "signin-refused.png") }
        );
        await page.GotoAsync("/");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSessionCookie_IsHttpOnlyAndStrict_AndSigningOutEndsIt()
    {
        var page = await SignedInAsync(server.AdminKey);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "overlap");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/signin");
        await page.GotoAsync("/");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }
}
