using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Overlap.Events;
using Overlap.Server.Auth;
using Overlap.Server.Tests.Dashboard;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// Rows a reader cannot use, written straight into the store (the store stays permissive; the door is checked
/// elsewhere): every endpoint and page still answers, and what was left out is counted with its reason.
/// </summary>
public sealed partial class BadRowsTests
{
    private const string Feature = "fraud";
    private const string Password = "tall green lamp on mars";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A binary contract with a decision column, a segment and watched inputs; reference: the first four days.</summary>
    private const string Contract = """
        feature: fraud
        task: binary
        labels: { positive: fraud, negative: legit }
        columns:
          id: payment_id
          time: created_at
          label: outcome
          score: p_fraud
          prediction: decision
          segments: [channel]
          features: [amount, channel]
        threshold: 0.5
        requirements:
          - { metric: recall, min: 0.5 }
          - { metric: recall, by: channel, min: 0.4 }
          - { metric: latency_p95_ms, max: 500 }
        monitoring:
          window: 1d
          reference: { from: 2026-03-01, to: 2026-03-05 }
          min_samples: 10
        review:
          when: "score between 0.4 and 0.6"
          sample: 0.2
        """;

    /// <summary>Every kind of row a reader cannot use as it is, by name: what to append for one good prediction's id and time.</summary>
    public static TheoryData<string> Kinds => [.. BadKinds.Keys];

    private static readonly Dictionary<string, Func<string, DateTimeOffset, FeatureEvent[]>> BadKinds = new(
        StringComparer.Ordinal
    )
    {
        ["label banana"] = (id, t) => [Good(id, t), Label(id, "banana")],
        ["label 1 on a named binary"] = (id, t) => [Good(id, t), Label(id, "1")],
        ["label empty"] = (id, t) => [Good(id, t), Label(id, "")],
        ["label with a NUL"] = (id, t) => [Good(id, t), Label(id, "fr\0aud")],
        ["label with a lone surrogate"] = (id, t) => [Good(id, t), Label(id, "fraud\ud800")],
        ["prediction not a label"] = (id, t) => [Good(id, t) with { Prediction = "maybe" }, Label(id, "fraud")],
        ["score 7"] = (id, t) => [Good(id, t) with { Score = 7 }, Label(id, "fraud")],
        ["score -1"] = (id, t) => [Good(id, t) with { Score = -1 }, Label(id, "legit")],
        ["score NaN"] = (id, t) => [Good(id, t) with { Score = double.NaN }, Label(id, "fraud")],
        ["score +Infinity"] = (id, t) => [Good(id, t) with { Score = double.PositiveInfinity }, Label(id, "fraud")],
        ["score -Infinity"] = (id, t) => [Good(id, t) with { Score = double.NegativeInfinity }, Label(id, "legit")],
        ["segment with a lone surrogate"] = (id, t) =>
            [Good(id, t) with { AttributesJson = "{\"channel\":\"web\ud800\"}" }, Label(id, "fraud")],
        ["segment with an escaped lone surrogate"] = (id, t) =>
            [Good(id, t) with { AttributesJson = "{\"channel\":\"web\\ud800\"}" }, Label(id, "fraud")],
        ["segment with a NUL"] = (id, t) =>
            [Good(id, t) with { AttributesJson = "{\"channel\":\"w\\u0000eb\"}" }, Label(id, "legit")],
        ["segment not text"] = (id, t) =>
            [Good(id, t) with { AttributesJson = "{\"channel\":{\"deep\":[1,2]}}" }, Label(id, "legit")],
        ["input with an escaped lone surrogate"] = (id, t) =>
            [Good(id, t) with { InputsJson = "{\"amount\":\"\\udfff\"}" }, Label(id, "fraud")],
        ["input not finite"] = (id, t) => [Good(id, t) with { InputsJson = "{\"amount\":1e999}" }, Label(id, "fraud")],
        ["latency negative"] = (id, t) => [Good(id, t) with { LatencyMs = -5 }],
        ["latency absurd"] = (id, t) => [Good(id, t) with { LatencyMs = 1e300 }],
        ["latency +Infinity"] = (id, t) => [Good(id, t) with { LatencyMs = double.PositiveInfinity }],
        ["cost +Infinity"] = (id, t) => [Good(id, t) with { Cost = double.PositiveInfinity }],
        ["cost -Infinity"] = (id, t) => [Good(id, t) with { Cost = double.NegativeInfinity }],
        ["cost NaN"] = (id, t) => [Good(id, t) with { Cost = double.NaN }],
        ["cost absurd"] = (id, t) => [Good(id, t) with { Cost = double.MaxValue }],
    };

    private static PredictionEvent Good(string id, DateTimeOffset time) =>
        new()
        {
            Id = id,
            Feature = Feature,
            Time = time,
            Score = 0.55,
            Prediction = "fraud",
            LatencyMs = 20,
            Cost = 0.01,
            AttributesJson = "{\"channel\":\"web\"}",
            InputsJson = "{\"amount\":30}",
        };

    private static OutcomeEvent Label(string id, string label) =>
        new()
        {
            Id = $"o-{id}",
            PredictionId = id,
            Label = label,
            Time = Now.AddDays(-1),
        };

    /// <summary>Ten days of 30 good labelled predictions a day (the last one the open window), in two channels.</summary>
    private static List<FeatureEvent> GoodRows()
    {
        var events = new List<FeatureEvent>();
        for (var day = 0; day < 10; day++)
        {
            for (var i = 0; i < 30; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"g{day}-{i}");
                var score = ((i * 37) + day) % 100 / 100.0;
                var fraud = (i % 3 == 0) == (score >= 0.3);
                events.Add(
                    Good(id, new DateTimeOffset(2026, 3, 1 + day, 0, 0, 0, TimeSpan.Zero).AddMinutes(20 * i)) with
                    {
                        Score = score,
                        Prediction = score >= 0.5 ? "fraud" : "legit",
                        LatencyMs = 10 + i,
                        AttributesJson = i % 2 == 0 ? "{\"channel\":\"web\"}" : "{\"channel\":\"app\"}",
                        InputsJson = string.Create(CultureInfo.InvariantCulture, $"{{\"amount\":{10 * i}}}"),
                    }
                );
                events.Add(Label(id, fraud ? "fraud" : "legit"));
            }
        }
        return events;
    }

    /// <summary>The kind's bad rows in the reference period, in a closed window and in the open window.</summary>
    private static IEnumerable<FeatureEvent> BadRows(string kind) =>
        new[]
        {
            new DateTimeOffset(2026, 3, 2, 13, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 7, 13, 0, 0, TimeSpan.Zero),
            Now.AddHours(-1),
        }.SelectMany((time, i) => BadKinds[kind](string.Create(CultureInfo.InvariantCulture, $"bad-{i}"), time));

    private static async Task<RunningServer> StartAsync(FakeTimeProvider clock, string? folder = null)
    {
        var server = await RunningServer.StartAsync(folder, configure: o => o with { Time = clock });
        if (folder is null)
        {
            using var admin = server.Client(KeyRole.Admin);
            Assert.Equal(
                HttpStatusCode.Created,
                (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(Contract))).StatusCode
            );
            Assert.True(
                await server
                    .Store<IUserStore>()
                    .AddUserAsync(
                        new UserRecord(
                            "ana",
                            KeyRole.Admin,
                            Passwords.Hash(Password),
                            Passwords.NewStamp(),
                            DateTimeOffset.UnixEpoch,
                            DateTimeOffset.UnixEpoch
                        )
                    )
            );
        }
        return server;
    }

    /// <summary>Every read endpoint (by key) and every page (signed in): each must answer 200, never 5xx.</summary>
    private static async Task AssertEveryReaderAnswersAsync(RunningServer server)
    {
        using var viewer = server.Client(KeyRole.Viewer);
        string[] endpoints =
        [
            $"/v1/features/{Feature}/metrics",
            $"/v1/features/{Feature}/metrics?from=2026-03-01&to=2026-03-11&resamples=50",
            $"/v1/features/{Feature}/summary",
            $"/v1/features/{Feature}/summary?from=2026-03-01&to=2026-03-11&resamples=50",
            $"/v1/features/{Feature}/counts",
            $"/v1/features/{Feature}/export",
            $"/v1/features/{Feature}/export?labelled=true",
            $"/v1/features/{Feature}/export?labelled=true&format=parquet",
            $"/v1/features/{Feature}/export?regression=true",
            $"/v1/features/{Feature}/review",
            $"/v1/features/{Feature}/alerts",
            $"/v1/features/{Feature}/evaluations",
            $"/v1/features/{Feature}/contract",
            "/v1/features",
        ];
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var response = await viewer.GetAsync(endpoint);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        using (var admin = server.Client(KeyRole.Admin))
        {
            var evaluate = await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate", null);
            if (evaluate.StatusCode != HttpStatusCode.OK)
            {
                failures.Add(
                    $"POST alerts/evaluate: {(int)evaluate.StatusCode} {await evaluate.Content.ReadAsStringAsync()}"
                );
            }
        }
        using var browser = new Browser(server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(browser, "ana", Password)).StatusCode
        );
        foreach (
            var page in new[]
            {
                "/",
                $"/features/{Feature}",
                $"/features/{Feature}/alerts",
                $"/features/{Feature}/review",
                $"/features/{Feature}/evaluations",
                $"/features/{Feature}/contract",
            }
        )
        {
            var (status, html) = await browser.PageAsync(page);
            if (status != HttpStatusCode.OK)
            {
                failures.Add($"page {page}: {(int)status} {html[..Math.Min(html.Length, 300)]}");
            }
        }
        Assert.Empty(failures);
    }

    /// <summary>The reason each kind is counted under (the kinds not named here are read as they are, or repaired at write).</summary>
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["label banana"] = "label 'banana' is not a label of contract version 1",
        ["label 1 on a named binary"] = "label '1' is not a label of contract version 1",
        // The store cuts text at a NUL (the door refuses one); what is left is not a label either.
        ["label with a NUL"] = "label 'fr' is not a label of contract version 1",
        ["label with a lone surrogate"] = "label 'fraud\uFFFD' is not a label of contract version 1",
        ["prediction not a label"] = "prediction 'maybe' is not a label of contract version 1",
        ["score 7"] =
            "score 7 is outside 0 to 1, the range contract version 1 allows (the prediction counts, its score does not)",
        ["score -1"] = "score -1 is outside 0 to 1",
        ["score +Infinity"] = "score Infinity is outside 0 to 1",
        ["score -Infinity"] = "score -Infinity is outside 0 to 1",
        ["segment with a NUL"] =
            "a value of 'channel' held a NUL or a lone surrogate and is shown with U+FFFD in its place (the row is kept)",
        ["latency negative"] = "latency -5 ms is not a finite number of milliseconds ≥ 0",
        ["latency +Infinity"] = "latency Infinity ms is not a finite number of milliseconds ≥ 0",
        ["cost +Infinity"] = "cost Infinity is not a finite number",
        ["cost -Infinity"] = "cost -Infinity is not a finite number",
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryReader_WithABadRowInTheStore_Answers200AndCountsItWithItsReason(string kind)
    {
        var clock = new FakeTimeProvider(Now);
        await using var server = await StartAsync(clock);
        await server.Store<IEventSink>().AppendAsync([.. GoodRows(), .. BadRows(kind)], Now);
        await AssertEveryReaderAnswersAsync(server);
        if (Reasons.TryGetValue(kind, out var reason))
        {
            using var viewer = server.Client(KeyRole.Viewer);
            var metrics = await JsonAsync(
                viewer,
                $"/v1/features/{Feature}/metrics?from=2026-03-07&to=2026-03-08&resamples=0"
            );
            var window = metrics.GetProperty("windows")[0];
            Assert.Contains(LeftOut(window).EnumerateArray(), l =>
                l.GetProperty("reason").GetString()!.StartsWith(reason, StringComparison.Ordinal)
                && l.GetProperty("count").GetInt64() >= 1
            );
            var summary = await JsonAsync(
                viewer,
                $"/v1/features/{Feature}/summary?from=2026-03-01&to=2026-03-11&resamples=0"
            );
            // One bad row in each of three windows (the reference day, a closed day, today), summed over the range.
            Assert.Contains(LeftOut(summary).EnumerateArray(), l =>
                l.GetProperty("reason").GetString()!.StartsWith(reason, StringComparison.Ordinal)
                && l.GetProperty("count").GetInt64() >= 3
            );
        }
    }

    [Fact]
    public async Task Labels_TheContractDoesNotName_AreLeftOutAndCountedInReportsAndPages_WhileGoodRowsAreJudgedAsBefore()
    {
        var clock = new FakeTimeProvider(Now);
        await using var server = await StartAsync(clock);
        await server.Store<IEventSink>().AppendAsync(GoodRows(), Now);
        using var viewer = server.Client(KeyRole.Viewer);
        const string Day = $"/v1/features/{Feature}/metrics?from=2026-03-07&to=2026-03-08&resamples=50";
        const string Month = $"/v1/features/{Feature}/summary?from=2026-03-01&to=2026-03-11&resamples=50";
        var (dayBefore, monthBefore) = (await JsonAsync(viewer, Day), await JsonAsync(viewer, Month));
        Assert.False(dayBefore.GetProperty("windows")[0].TryGetProperty("left_out", out _));
        Assert.False(monthBefore.TryGetProperty("left_out", out _));

        // Twelve predictions labelled 'x', as if labelled under an older contract (no latency or cost, so those figures stay).
        var seven = new DateTimeOffset(2026, 3, 7, 14, 0, 0, TimeSpan.Zero);
        await server
            .Store<IEventSink>()
            .AppendAsync(
                [
                    .. Enumerable
                        .Range(0, 12)
                        .SelectMany(i =>
                            new FeatureEvent[]
                            {
                                Good($"x{i}", seven.AddMinutes(i)) with
                                {
                                    LatencyMs = null,
                                    Cost = null,
                                },
                                Label($"x{i}", "x"),
                            }
                        ),
                ],
                Now
            );
        // A stored report is known by when it was computed: the clock moves on, as it does between two requests.
        clock.Advance(TimeSpan.FromSeconds(1));
        const string Reason = "label 'x' is not a label of contract version 1";
        var window = (await JsonAsync(viewer, Day)).GetProperty("windows")[0];
        Assert.Equal(
            (42, 30),
            (window.GetProperty("predictions").GetInt32(), window.GetProperty("labelled").GetInt32())
        );
        Assert.Equal(
            [(12L, Reason)],
            LeftOut(window)
                .EnumerateArray()
                .Select(l => (l.GetProperty("count").GetInt64(), l.GetProperty("reason").GetString()!))
        );
        Assert.Equal(
            dayBefore.GetProperty("windows")[0].GetProperty("evaluation").GetRawText(),
            window.GetProperty("evaluation").GetRawText()
        );
        var month = await JsonAsync(viewer, Month);
        Assert.Equal(
            [(12L, Reason)],
            LeftOut(month)
                .EnumerateArray()
                .Select(l => (l.GetProperty("count").GetInt64(), l.GetProperty("reason").GetString()!))
        );
        Assert.Equal(monthBefore.GetProperty("labelled").GetInt64(), month.GetProperty("labelled").GetInt64());
        Assert.Equal(monthBefore.GetProperty("evaluation").GetRawText(), month.GetProperty("evaluation").GetRawText());

        using var browser = new Browser(server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(browser, "ana", Password)).StatusCode
        );
        foreach (var page in new[] { "/", $"/features/{Feature}" })
        {
            // A page may first show the range merged before the new rows; it settles on the current one.
            var text = "";
            for (
                var attempt = 0;
                attempt < 100 && !text.Contains($"12 left out: {Reason}", StringComparison.Ordinal);
                attempt++
            )
            {
                await Task.Delay(attempt == 0 ? 0 : 100);
                var (status, html) = await browser.PageAsync(page);
                Assert.Equal(HttpStatusCode.OK, status);
                text = Text(html);
            }
            Assert.Contains($"12 left out: {Reason}", text, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task EveryReader_WithEveryBadRowInTheStore_AnswersAcrossARestart()
    {
        var clock = new FakeTimeProvider(Now);
        var server = await StartAsync(clock);
        await server
            .Store<IEventSink>()
            .AppendAsync(
                [.. GoodRows(), .. BadKinds.Keys.SelectMany((kind, k) => BadRows(kind).Select(e => Renamed(e, k)))],
                Now
            );
        await AssertEveryReaderAnswersAsync(server);
        var folder = server.Folder;
        await server.StopKeepingDataAsync();
        clock.Advance(TimeSpan.FromDays(1));
        await using var restarted = await StartAsync(clock, folder);
        await AssertEveryReaderAnswersAsync(restarted);
    }

    /// <summary>The event with its ids made distinct per kind, so every kind's rows are stored side by side.</summary>
    private static FeatureEvent Renamed(FeatureEvent e, int kind) =>
        e switch
        {
            PredictionEvent p => p with { Id = $"k{kind}-{p.Id}" },
            OutcomeEvent o => o with { Id = $"k{kind}-{o.Id}", PredictionId = $"k{kind}-{o.PredictionId}" },
            _ => e,
        };

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    private static string Text(string html) => WebUtility.HtmlDecode(Tag().Replace(html, " "));

    private static JsonElement LeftOut(JsonElement report) => report.GetProperty("left_out");
}
