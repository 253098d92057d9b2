using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// Alerts on a generative feature's metrics end to end: a day whose outputs are acceptable half the time and get a
/// thumbs down half the time misses <c>acceptable_rate ≥ 0.8</c> and <c>thumbs_down_rate ≤ 0.2</c>; both checks enter
/// alert and are delivered to a real webhook receiver on loopback, like any other alert.
/// </summary>
public sealed class GenerativeAlertTests : IAsyncLifetime
{
    private const string Feature = "drafts";
    private readonly ConcurrentQueue<string> _received = new();
    private WebApplication _receiver = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            _received.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        await _receiver.StartAsync();
        _server = await RunningServer.StartAsync(configure: o => o with { WebhookAllow = ["127.0.0.1/32"] });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task AMissedGenerativeBar_Alerts_AndIsDelivered()
    {
        var hook = $"{OverlapServer.Addresses(_receiver)[0]}/hook";
        using var admin = _server.Client(KeyRole.Admin);
        var yaml = $$"""
            feature: {{Feature}}
            task: generative
            columns: { id: id, output: draft }
            checks:
              - { name: short, max_length: 20 }
            requirements:
              - { metric: acceptable_rate, min: 0.8 }
              - { metric: thumbs_down_rate, max: 0.2 }
            monitoring:
              window: 1d
              min_samples: 10
              alerts: [ { webhook: "{{hook}}" } ]
            """;
        var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        // 1 March: 100 drafts, every other one too long (acceptable 50 of 100), every other one thumbed down.
        var events = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            var draft = i % 2 == 0 ? "Hi, it ships today." : "Hi, it ships today, and here is a long story about why.";
            events
                .Append(
                    $$"""{"type":"prediction","id":"p{{i}}","feature":"{{Feature}}","time":"2026-03-01T10:00:00Z","output":"{{draft}}"}"""
                )
                .Append('\n');
            if (i % 2 == 1)
            {
                events
                    .Append(
                        $$"""{"type":"feedback","id":"f{{i}}","prediction_id":"p{{i}}","feature":"{{Feature}}","kind":"thumbs_down","time":"2026-03-01T10:05:00Z"}"""
                    )
                    .Append('\n');
            }
        }
        using var ingest = _server.Client(KeyRole.Ingest);
        var sent = await ingest.PostAsync(
            "/v1/events",
            new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());

        var evaluated = await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window=2026-03-01", null);
        Assert.True(evaluated.StatusCode == HttpStatusCode.OK, await evaluated.Content.ReadAsStringAsync());
        using var result = JsonDocument.Parse(await evaluated.Content.ReadAsStringAsync());
        var states = result
            .RootElement.GetProperty("checks")
            .EnumerateArray()
            .ToDictionary(c => c.GetProperty("check").GetString()!, c => c.GetProperty("state").GetString());
        Assert.True(states["acceptable_rate min 0.8"] == "alert", result.RootElement.GetRawText());
        Assert.Equal("alert", states["thumbs_down_rate max 0.2"]);

        var waited = Stopwatch.StartNew();
        while (_received.Count < 2)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for the webhook");
            await Task.Delay(20);
        }
        var texts = _received
            .Select(b => JsonDocument.Parse(b).RootElement.GetProperty("text").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.StartsWith("[ALERT] drafts: acceptable_rate min 0.8 (judged on ", texts[0], StringComparison.Ordinal);
        Assert.StartsWith("[ALERT] drafts: thumbs_down_rate max 0.2 (judged on ", texts[1], StringComparison.Ordinal);
    }
}
