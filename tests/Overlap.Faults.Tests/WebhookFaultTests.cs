using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Overlap.Server;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Faults.Tests;

/// <summary>
/// Webhook receivers that misbehave in every way the trust issue lists (redirects to data:, file: and another
/// address, a hang, an endless body, a 500, a reset connection) beside one that behaves. The server (in process, so its
/// webhook timeout and attempts can be short) keeps running, follows no redirect, records every delivery's end, and
/// still answers every reader; the good receiver gets its alert.
/// </summary>
public sealed class WebhookFaultTests
{
    private const string Feature = "alpha";

    [Fact]
    public async Task MisbehavingReceivers_NeitherStopTheServerNorAreFollowed()
    {
        var sinkHits = 0;
        var good = new ConcurrentQueue<string>();
        await using var receiver = await StartReceiverAsync(context => Interlocked.Increment(ref sinkHits), good);
        var hooks = OverlapServer.Addresses(receiver)[0];
        string[] paths =
        [
            "/redirect-data",
            "/redirect-file",
            "/redirect-sink",
            "/hang",
            "/huge",
            "/error",
            "/reset",
            "/good",
        ];

        var folder = Directory.CreateTempSubdirectory("overlap-faults-").FullName;
        var options = new ServerOptions
        {
            DataFolder = folder,
            Urls = "http://127.0.0.1:0",
            WebhookAttempts = 2,
            WebhookBackoff = TimeSpan.FromMilliseconds(50),
            WebhookTimeout = TimeSpan.FromSeconds(2),
            // The receivers are on loopback, which webhooks may reach only when an admin allows it.
            WebhookAllow = ["127.0.0.1/32"],
        };
        var app = await OverlapServer.BuildAsync(options);
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IUserStore>();
            var adminKey = await ApiKeys.CreateAsync(store, KeyRole.Admin, "admin", DateTimeOffset.UnixEpoch);
            var address = new Uri(OverlapServer.Addresses(app)[0]);
            using var admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            var hookList = string.Join(", ", paths.Select(p => $"{{ webhook: \"{hooks}{p}\" }}"));
            // Without a decision column, so the poor day's decisions come from its scores.
            var contract = FaultCorpus
                .Contract(Feature)
                .Replace(" prediction: decision,", "", StringComparison.Ordinal)
                .Replace("min_samples: 20 }", $"min_samples: 20, alerts: [ {hookList} ] }}", StringComparison.Ordinal);
            var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(contract));
            Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
            var posted = await admin.PostAsync(
                "/v1/events",
                new StringContent(PoorDay(), Encoding.UTF8, "application/x-ndjson")
            );
            var postedBody = await posted.Content.ReadAsStringAsync();
            Assert.True(
                posted.StatusCode == HttpStatusCode.Accepted
                    && postedBody.Contains("\"accepted\":400", StringComparison.Ordinal),
                postedBody
            );
            using (var counts = JsonDocument.Parse(await admin.GetStringAsync($"/v1/features/{Feature}/counts")))
            {
                Assert.True(
                    counts.RootElement.GetProperty("labelled").GetInt64() == 200,
                    counts.RootElement.ToString()
                );
            }

            var evaluate = await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window=2026-03-01", null);
            var evaluation = await evaluate.Content.ReadAsStringAsync();
            Assert.True(evaluate.StatusCode == HttpStatusCode.OK, evaluation);
            Assert.True(
                JsonDocument.Parse(evaluation).RootElement.GetProperty("changes").GetArrayLength() == 1,
                $"the poor day should alert once: {evaluation}"
            );
            // Every delivery ends (failed, since most receivers misbehave) within a bounded time.
            var waited = Stopwatch.StartNew();
            string delivery;
            do
            {
                await Task.Delay(100);
                using var alerts = JsonDocument.Parse(await admin.GetStringAsync($"/v1/features/{Feature}/alerts"));
                delivery = alerts.RootElement.GetProperty("history")[0].GetProperty("delivery").GetString()!;
                var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
                Assert.False(
                    lifetime.ApplicationStopping.IsCancellationRequested,
                    "the server began to stop during webhook delivery"
                );
            } while (delivery == "pending" && waited.Elapsed < TimeSpan.FromSeconds(90));
            Assert.Equal("failed", delivery);
            Assert.Single(good);
            Assert.StartsWith(
                "[ALERT] alpha: recall min 0.8",
                JsonDocument.Parse(good.Single()).RootElement.GetProperty("text").GetString(),
                StringComparison.Ordinal
            );
            Assert.Equal(0, Volatile.Read(ref sinkHits));

            // A moment later the server is still up, healthy, and every reader answers.
            await Task.Delay(1500);
            Assert.False(
                app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
                "the server stopped after webhook delivery"
            );
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/healthz")).StatusCode);
            await ReaderSweep.AssertEveryReaderAnswersAsync(address, adminKey, [Feature]);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>1 March: 200 predictions, half of them spam scored low, so recall is poor and the check alerts.</summary>
    private static string PoorDay()
    {
        var events = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var spam = i % 2 == 0;
            events
                .Append(
                    $$"""{"type":"prediction","id":"p{{i}}","feature":"{{Feature}}","time":"2026-03-01T10:00:00Z","score":{{(spam ? "0.1" : "0.2")}}}"""
                )
                .Append('\n');
            events
                .Append(
                    $$"""{"type":"outcome","id":"o{{i}}","feature":"{{Feature}}","prediction_id":"p{{i}}","label":"{{(spam ? "spam" : "ham")}}","time":"2026-03-01T12:00:00Z"}"""
                )
                .Append('\n');
        }
        return events.ToString();
    }

    private static async Task<WebApplication> StartReceiverAsync(Action<HttpContext> sink, ConcurrentQueue<string> good)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = builder.Build();
        receiver.MapPost("/redirect-data", (HttpContext c) => Redirect(c, "data:text/plain;base64,aGVsbG8=", 302));
        receiver.MapPost("/redirect-file", (HttpContext c) => Redirect(c, "file:///etc/passwd", 307));
        receiver.MapPost("/redirect-sink", (HttpContext c) =>
            Redirect(c, $"{OverlapServer.Addresses(receiver)[0]}/sink", 307)
        );
        receiver.MapPost("/sink", (HttpContext c) =>
        {
            sink(c);
            return Results.Ok();
        });
        receiver.MapPost("/hang", async (HttpContext c) => await Task.Delay(Timeout.Infinite, c.RequestAborted));
        receiver.MapPost("/huge", async (HttpContext c) =>
        {
            var chunk = new byte[1 << 20];
            for (var i = 0; i < 512 && !c.RequestAborted.IsCancellationRequested; i++)
            {
                await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
            }
        });
        receiver.MapPost("/error", () => Results.StatusCode(500));
        receiver.MapPost("/reset", (HttpContext c) => c.Abort());
        receiver.MapPost("/good", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            good.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        await receiver.StartAsync();
        return receiver;
    }

    private static IResult Redirect(HttpContext context, string location, int status)
    {
        context.Response.Headers.Location = location;
        return Results.StatusCode(status);
    }
}
