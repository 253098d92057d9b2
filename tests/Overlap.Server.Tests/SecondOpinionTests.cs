using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Core.Statistics;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// Second opinions over HTTP: a contract asks a second reviewer to decide every routed case; two answers that agree
/// settle it, two that differ escalate it to a third reviewer, only a settled case becomes an outcome, and the queue
/// reports how far reviewers agree.
/// </summary>
public sealed class SecondOpinionTests : IAsyncLifetime
{
    private const string Feature = "payments-twice";
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        var yaml = (
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
        )
            .Replace("feature: payments-fraud", $"feature: {Feature}", StringComparison.Ordinal)
            .Replace("  sample: 0.01", "  sample: 0.01\n  second_opinion: 1", StringComparison.Ordinal);
        using var admin = _server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
        // Three uncertain payments (the rule routes scores between 0.4 and 0.6).
        var events = string.Join(
            '\n',
            Enumerable
                .Range(1, 3)
                .Select(i =>
                    $$$"""{"type":"prediction","id":"t{{{i}}}","feature":"{{{Feature}}}","time":"2026-01-10T10:0{{{i}}}:00Z","score":0.5,"inputs":{"amount":{{{i * 10}}},"account_age_days":3,"items":1,"hour":10}}"""
                )
        );
        using var ingest = _server.Client(KeyRole.Ingest);
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await ingest.PostAsync("/v1/events", new StringContent(events, Encoding.UTF8, "application/x-ndjson"))
            ).StatusCode
        );
        await _server.CountAsync(Feature);
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

    private static async Task<(HttpStatusCode Status, string? ItemStatus, string? Label)> DecideAsync(
        HttpClient reviewer,
        string id,
        string decision
    )
    {
        var claim = await reviewer.PostAsync($"/v1/features/{Feature}/review/{id}/claim", null);
        if (claim.StatusCode != HttpStatusCode.OK)
        {
            return (claim.StatusCode, null, null);
        }
        var response = await reviewer.PostAsync(
            $"/v1/features/{Feature}/review/{id}/decision",
            new StringContent(decision, Encoding.UTF8, "application/json")
        );
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return response.StatusCode == HttpStatusCode.OK
            ? (
                response.StatusCode,
                json.RootElement.GetProperty("status").GetString(),
                json.RootElement.TryGetProperty("label", out var label) ? label.GetString() : null
            )
            : (response.StatusCode, null, null);
    }

    [Fact]
    public async Task TwoAnswersSettleOrEscalate_OnlyASettledCaseIsAnOutcome_AndAgreementIsReported()
    {
        using var ana = await ReviewerAsync("ana");
        using var ben = await ReviewerAsync("ben");
        using var cleo = await ReviewerAsync("cleo");
        using var viewer = _server.Client(KeyRole.Viewer);
        using var queue = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/review"));
        Assert.Equal(
            ["t1", "t2", "t3"],
            queue
                .RootElement.GetProperty("items")
                .EnumerateArray()
                .Select(i => i.GetProperty("prediction_id").GetString())
                .Order()
        );
        Assert.All(queue.RootElement.GetProperty("items").EnumerateArray(), i =>
            Assert.Equal(2, i.GetProperty("opinions").GetInt32())
        );

        // t1: Ana and Ben both say fraud (the model's answer at 0.5 against the 0.15 threshold); the first answer waits,
        // and the outcome is stored once the second agrees. Ben's "correction" to the model's own answer is an approval.
        Assert.Equal((HttpStatusCode.OK, "second", null), await DecideAsync(ana, "t1", """{"decision":"approve"}"""));
        var again = await ana.PostAsync($"/v1/features/{Feature}/review/t1/claim", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(
            "second opinion must come from another reviewer",
            await again.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        Assert.Equal(0, (await _server.CountAsync(Feature)).Labelled);
        Assert.Equal(
            (HttpStatusCode.OK, "decided", "fraud"),
            await DecideAsync(ben, "t1", """{"decision":"correct","label":"fraud"}""")
        );
        Assert.Equal(1, (await _server.CountAsync(Feature)).Labelled);

        // t2: Ana approves, Ben says legit: escalated; neither of them may settle it, Cleo does.
        Assert.Equal((HttpStatusCode.OK, "second", null), await DecideAsync(ana, "t2", """{"decision":"approve"}"""));
        Assert.Equal(
            (HttpStatusCode.OK, "escalated", null),
            await DecideAsync(ben, "t2", """{"decision":"correct","label":"legit"}""")
        );
        Assert.Equal(HttpStatusCode.Conflict, (await DecideAsync(ana, "t2", """{"decision":"approve"}""")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await DecideAsync(ben, "t2", """{"decision":"approve"}""")).Status);
        using var escalated = JsonDocument.Parse(
            await viewer.GetStringAsync($"/v1/features/{Feature}/review?status=escalated")
        );
        var item = escalated.RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(
            ("t2", "disagreement"),
            (item.GetProperty("prediction_id").GetString(), item.GetProperty("escalated_because").GetString())
        );
        Assert.Equal(
            (HttpStatusCode.OK, "decided", "legit"),
            await DecideAsync(cleo, "t2", """{"decision":"correct","label":"legit"}""")
        );
        Assert.Equal(2, (await _server.CountAsync(Feature)).Labelled);

        // One of the two cases decided twice agreed: 50%, with the Wilson interval for 1 of 2 at the contract's 95%, and
        // Cohen's kappa 0 (sklearn's cohen_kappa_score(["fraud", "fraud"], ["fraud", "legit"]) is 0.0). The statistic
        // itself is checked against sklearn and statsmodels in ReviewerAgreementTests; this checks what the queue feeds it.
        using var figures = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/review"));
        var agreement = figures.RootElement.GetProperty("agreement");
        Assert.Equal(
            (2L, 1L),
            (agreement.GetProperty("items").GetInt64(), agreement.GetProperty("agreeing").GetInt64())
        );
        Assert.Equal(0.5, agreement.GetProperty("share").GetDouble(), 12);
        var wilson = Wilson.Interval(1, 2, 0.95);
        Assert.Equal(wilson.Low, agreement.GetProperty("low").GetDouble(), 12);
        Assert.Equal(wilson.High, agreement.GetProperty("high").GetDouble(), 12);
        Assert.Equal(0.0, agreement.GetProperty("kappa").GetDouble(), 12);
        var counts = figures.RootElement.GetProperty("counts");
        Assert.Equal(
            (2L, 1L, 1L),
            (
                counts.GetProperty("decided").GetInt64(),
                counts.GetProperty("disagreements").GetInt64(),
                counts.GetProperty("pending").GetInt64()
            )
        );
        // Only settling answers make regression cases: t2, corrected by Cleo; not t1, approved twice.
        var export = await viewer.GetStringAsync($"/v1/features/{Feature}/export?regression=true");
        var rows = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("t2,", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIdWithASlash_IsClaimedAndDecided_EscapedInThePath()
    {
        using var ingest = _server.Client(KeyRole.Ingest);
        var line =
            $$$"""{"type":"prediction","id":"spam-2/00154","feature":"{{{Feature}}}","time":"2026-01-10T11:00:00Z","score":0.5,"inputs":{"amount":1,"account_age_days":3,"items":1,"hour":10}}""";
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await ingest.PostAsync("/v1/events", new StringContent(line, Encoding.UTF8, "application/x-ndjson"))
            ).StatusCode
        );
        await _server.CountAsync(Feature);
        using var ana = await ReviewerAsync("ana");
        using var ben = await ReviewerAsync("ben");
        // Reading the queue routes what arrived.
        Assert.Contains(
            "spam-2/00154",
            await ana.GetStringAsync($"/v1/features/{Feature}/review"),
            StringComparison.Ordinal
        );
        Assert.Equal(
            (HttpStatusCode.OK, "second", null),
            await DecideAsync(ana, Uri.EscapeDataString("spam-2/00154"), """{"decision":"approve"}""")
        );
        Assert.Equal(
            (HttpStatusCode.OK, "decided", "fraud"),
            await DecideAsync(ben, Uri.EscapeDataString("spam-2/00154"), """{"decision":"approve"}""")
        );
    }
}
