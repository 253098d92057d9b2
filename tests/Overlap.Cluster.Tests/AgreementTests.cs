using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Overlap.Server.Tests.Dashboard;

namespace Overlap.Cluster.Tests;

/// <summary>
/// Two instances on one store answer every read alike: a contract put through A, events split between A and B (a share
/// sent to both, as a client's retry would), late outcomes through the other one; then counts, metrics, summary,
/// alerts, export and the dashboard's pages agree, and the counts are what was sent, each event once.
/// </summary>
public sealed partial class AgreementTests
{
    private const string Range = "from=2026-11-20&to=2026-11-23";

    [Fact]
    public async Task TwoInstances_AgreeOnEveryFigure_AndCountEachEventOnce()
    {
        await using var both = await TwoInstances.StartAsync();
        using var a = both.Client(0);
        using var b = both.Client(1);
        await Traffic.PutContractAsync(a);

        const int Predictions = 600;
        var ids = Enumerable.Range(0, Predictions).Select(i => $"pay-{i:D4}").ToArray();
        var clients = new[] { a, b };
        for (var batch = 0; batch < Predictions / 50; batch++)
        {
            var events = Enumerable.Range(batch * 50, 50).Select(i => Traffic.Prediction(i, ids[i])).ToList();
            await Traffic.SendAsync(clients[batch % 2], events);
            if (batch % 3 == 0)
            {
                await Traffic.SendAsync(clients[1 - batch % 2], events); // a client's retry, through the other one
            }
        }
        // Outcomes for two predictions in three, late, through the instance the prediction did not go to.
        for (var batch = 0; batch < Predictions / 50; batch++)
        {
            var outcomes = Enumerable
                .Range(batch * 50, 50)
                .Where(i => i % 3 != 0)
                .Select(i => Traffic.Outcome(i, ids[i]))
                .ToList();
            await Traffic.SendAsync(clients[1 - batch % 2], outcomes);
        }

        // Each instance's read waits until its own ingest log is loaded; what the other acknowledged is in the store
        // once that one has loaded it (docs/api.md), so both are asked once before their answers are compared.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(
                HttpStatusCode.OK,
                (await clients[i].GetAsync($"/v1/features/{Traffic.Feature}/counts")).StatusCode
            );
        }
        var counts = await BothAsync(both, $"/v1/features/{Traffic.Feature}/counts");
        var parsed = JsonNode.Parse(counts)!;
        Assert.Equal(Predictions, (int)parsed["predictions"]!);
        Assert.Equal(Predictions * 2 / 3, (int)parsed["outcomes"]!);
        Assert.Equal(Predictions * 2 / 3, (int)parsed["labelled"]!);

        // Both asked at once for the same closed windows: each window is computed by one of them while the other waits
        // and reads the report it stored, so even when each window was computed agrees. Before, both computed every
        // window (at 10,000,000 predictions a day, minutes each) and the later one overwrote the other's report.
        var atOnce = await Task.WhenAll(
            a.GetStringAsync($"/v1/features/{Traffic.Feature}/metrics?{Range}"),
            b.GetStringAsync($"/v1/features/{Traffic.Feature}/metrics?{Range}")
        );
        var computedAt = atOnce.Select(body => ComputedAt().Matches(body).Select(m => m.Value).ToList()).ToList();
        Assert.Equal(3, computedAt[0].Count);
        Assert.Equal(computedAt[0], computedAt[1]);
        var metrics = JsonNode.Parse(await BothAsync(both, $"/v1/features/{Traffic.Feature}/metrics?{Range}"))!;
        Assert.Equal(3, metrics["windows"]!.AsArray().Count);
        Assert.Equal(Predictions, metrics["windows"]!.AsArray().Sum(w => (int)w!["predictions"]!));
        var summary = JsonNode.Parse(await BothAsync(both, $"/v1/features/{Traffic.Feature}/summary?{Range}"))!;
        Assert.Equal(Predictions, (int)summary["predictions"]!);
        Assert.Equal(Predictions * 2 / 3, (int)summary["labelled"]!);

        var export = await BothAsync(both, $"/v1/features/{Traffic.Feature}/export?labelled=true&{Range}", sort: true);
        // The CSV's header and one line per labelled prediction.
        Assert.Equal(1 + Predictions * 2 / 3, export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var evaluate = await a.PostAsync(
            $"/v1/features/{Traffic.Feature}/alerts/evaluate?window=2026-11-22",
            new StringContent("")
        );
        Assert.True(evaluate.IsSuccessStatusCode, await evaluate.Content.ReadAsStringAsync());
        var alerts = JsonNode.Parse(await BothAsync(both, $"/v1/features/{Traffic.Feature}/alerts"))!;
        Assert.NotEmpty(alerts["states"]!.AsArray());

        // The dashboard: signed in on A with a key, the same cookie on B; every page the same but for times.
        using var browser = new Browser(both.Address(0));
        var signIn = await browser.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = both.AdminKey }
        );
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        using var onB = new Browser(both.Address(1));
        foreach (var (name, value) in browser.Cookies)
        {
            onB.Cookies[name] = value;
        }
        foreach (
            var page in new[]
            {
                "/",
                $"/features/{Traffic.Feature}",
                $"/features/{Traffic.Feature}/alerts",
                $"/features/{Traffic.Feature}/contract",
                $"/features/{Traffic.Feature}/evaluations",
            }
        )
        {
            var (statusA, htmlA) = await PageWhenComputedAsync(browser, page);
            var (statusB, htmlB) = await PageWhenComputedAsync(onB, page);
            Assert.Equal(HttpStatusCode.OK, statusA);
            Assert.Equal(HttpStatusCode.OK, statusB);
            AssertSame(page, WithoutTimes(htmlA), WithoutTimes(htmlB));
        }
    }

    /// <summary>GETs <paramref name="path"/> on both instances; fails unless both answer 200 with the same body (lines sorted when asked).</summary>
    private static async Task<string> BothAsync(TwoInstances both, string path, bool sort = false)
    {
        var bodies = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var client = both.Client(i);
            var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(i == 0 ? "A" : "B")} {path}: {body}");
            bodies.Add(sort ? string.Join('\n', body.Split('\n').Order(StringComparer.Ordinal)) : WithoutTook(body));
        }
        AssertSame(path, bodies[0], bodies[1]);
        return bodies[0];
    }

    /// <summary>Fails unless A's and B's answers are the same, showing where they part.</summary>
    private static void AssertSame(string path, string a, string b)
    {
        var at = 0;
        while (at < Math.Min(a.Length, b.Length) && a[at] == b[at])
        {
            at++;
        }
        var from = Math.Max(0, at - 300);
        Assert.True(
            a == b,
            $"A and B answer {path} differently at {at}:\nA: {a[from..Math.Min(a.Length, at + 80)]}\nB: {b[from..Math.Min(b.Length, at + 80)]}"
        );
    }

    /// <summary>A page once its figures are computed (a page may first show the last figures while it computes).</summary>
    private static async Task<(HttpStatusCode, string)> PageWhenComputedAsync(Browser browser, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (status, html) = await browser.PageAsync(path);
            if (attempt == 60 || !html.Contains("computing", StringComparison.OrdinalIgnoreCase))
            {
                return (status, html);
            }
            await Task.Delay(500);
        }
    }

    /// <summary>A JSON answer without when it was computed and how long that took.</summary>
    private static string WithoutTook(string json) => TookField().Replace(json, "");

    /// <summary>A page without times of day, durations, element ids, sealed state and antiforgery tokens (they differ between any two requests).</summary>
    private static string WithoutTimes(string html) =>
        Guid().Replace(Token().Replace(Times().Replace(TookField().Replace(html, ""), "TIME"), "TOKEN"), "ID");

    [GeneratedRegex("\"(took_ms|computed_at)\": ?(\"[^\"]*\"|[0-9.]+),?")]
    private static partial Regex TookField();

    [GeneratedRegex("\"computed_at\": ?\"[^\"]*\"")]
    private static partial Regex ComputedAt();

    [GeneratedRegex(@"\d{1,2}:\d{2}(:\d{2})?( UTC)?|\d+(\.\d+)? ?(ms|s) ago|\b\d+ (second|minute)s? ago")]
    private static partial Regex Times();

    [GeneratedRegex(
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\\b(id|for|aria-[a-z]+)=\"[^\"]*\"|<!--Blazor.*?-->"
    )]
    private static partial Regex Guid();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"[^\"]*\"")]
    private static partial Regex Token();
}
