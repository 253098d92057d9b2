using System.Globalization;
using System.Net;
using System.Text;

namespace Overlap.Cluster.Tests;

/// <summary>What the tests send: the payments-fraud contract (without its review section) and deterministic events.</summary>
internal static class Traffic
{
    public const string Feature = "payments-fraud";

    /// <summary>The example contract without <c>review:</c> (the review queue is not on the server backend yet).</summary>
    public static string Contract()
    {
        var yaml = File.ReadAllText(RepositoryRoot.File("examples/payments-fraud/overlap.yaml"));
        return yaml[..yaml.IndexOf("\nreview:", StringComparison.Ordinal)] + "\n";
    }

    /// <summary>Puts the contract through <paramref name="client"/>; fails unless it was stored.</summary>
    public static async Task PutContractAsync(HttpClient client)
    {
        var put = await client.PutAsync($"/v1/features/{Feature}/contract", new StringContent(Contract()));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
    }

    /// <summary>Prediction <paramref name="i"/>: three days from 2026-11-20, scores and segments fixed by i.</summary>
    public static string Prediction(int i, string id)
    {
        var score = (i * 37 % 100 / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
        var time = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).AddMinutes(i * 7 % (3 * 24 * 60));
        var channel = i % 2 == 0 ? "web" : "app";
        var region = i % 3 == 0 ? "eu" : "us";
        var inputs =
            $$"""{"channel":"{{channel}}","region":"{{region}}","amount":{{10 + i % 500}},"account_age_days":"""
            + $$"""{{i % 365}},"items":{{1 + i % 5}},"hour":{{i % 24}}}""";
        return $$"""{"type":"prediction","id":"{{id}}","feature":"{{Feature}}","time":"{{time:yyyy-MM-ddTHH:mm:ssZ}}","""
            + $$""" "score":{{score}},"latency_ms":{{20 + i % 90}},"inputs":{{inputs}}}""";
    }

    /// <summary>The outcome of prediction <paramref name="id"/>: fraud mostly where its score is high.</summary>
    public static string Outcome(int i, string id)
    {
        var fraud = i * 37 % 100 + i % 7 * 8 > 85;
        return $$"""{"type":"outcome","id":"o-{{id}}","prediction_id":"{{id}}","label":"{{(
            fraud ? "fraud" : "legit"
        )}}","time":"2026-11-25T00:00:00Z"}""";
    }

    /// <summary>Posts events as one JSON array; the response.</summary>
    public static Task<HttpResponseMessage> PostAsync(
        HttpClient client,
        IEnumerable<string> events,
        CancellationToken cancellationToken = default
    ) =>
        client.PostAsync(
            "/v1/events",
            new StringContent("[" + string.Join(',', events) + "]", Encoding.UTF8, "application/json"),
            cancellationToken
        );

    /// <summary>Posts events and fails unless every one was accepted.</summary>
    public static async Task SendAsync(HttpClient client, IReadOnlyList<string> events)
    {
        var response = await PostAsync(client, events);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        Assert.Contains($"\"accepted\":{events.Count},", body, StringComparison.Ordinal);
    }
}
