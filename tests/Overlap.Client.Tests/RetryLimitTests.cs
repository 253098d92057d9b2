using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Overlap.Events;

namespace Overlap.Client.Tests;

/// <summary>
/// Retries are bounded: a server that answers 5xx for ever costs a batch a limited time, after which it is dropped and
/// counted; a 400 is never sent again.
/// </summary>
public sealed class RetryLimitTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A loopback server that answers every batch with <paramref name="status"/>, counting the requests.</summary>
    private static async Task<(WebApplication App, Uri Address, Func<int> Requests)> AnsweringAsync(
        int status,
        string body
    )
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var requests = 0;
        app.MapPost("/v1/events", async (HttpContext context) =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return (app, new Uri(app.Urls.First()), () => Volatile.Read(ref requests));
    }

    /// <summary>Sends three events to a server answering <paramref name="status"/>; the stats once none is pending, and the requests it got.</summary>
    private static async Task<(OverlapClientStats Stats, int Requests, int RequestsLater)> SendThreeAsync(
        int status,
        string body
    )
    {
        var (app, address, requests) = await AnsweringAsync(status, body);
        await using (app)
        {
            var client = new OverlapClient(
                new OverlapClientOptions
                {
                    Endpoint = address,
                    ApiKey = "ovl_test",
                    FlushInterval = TimeSpan.FromMilliseconds(20),
                    InitialBackoff = TimeSpan.FromMilliseconds(20),
                    MaxBackoff = TimeSpan.FromMilliseconds(100),
                    // Long enough for several retries even on a loaded machine (one CI run saw a single retry in 1 s).
                    RetryLimit = TimeSpan.FromSeconds(3),
                }
            );
            for (var i = 0; i < 3; i++)
            {
                client.LogPrediction(
                    new PredictionEvent
                    {
                        Id = $"p{i}",
                        Feature = "payments-fraud",
                        Time = Noon,
                        Score = 0.5,
                    }
                );
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.FlushAsync(timeout.Token);
            var (stats, sent) = (client.Stats, requests());
            // Nothing more is sent once the batch is settled.
            await Task.Delay(300);
            await client.DisposeAsync();
            return (stats, sent, requests());
        }
    }

    [Fact]
    public async Task Send_ServerAlwaysAnswers500_GivesUpAfterTheRetryLimit_AndCountsTheBatchDropped()
    {
        var (stats, requests, later) = await SendThreeAsync(500, """{"title":"broken"}""");
        Assert.Equal((3L, 0L, 0L, 3L, 0L), (stats.Logged, stats.Sent, stats.Rejected, stats.Dropped, stats.Pending));
        Assert.InRange(stats.Retries, 2, 100);
        Assert.Equal(requests, later);
    }

    [Fact]
    public async Task Send_ServerAnswers400_IsNeverRetried()
    {
        var (stats, requests, later) = await SendThreeAsync(400, """{"accepted":0,"rejected":[]}""");
        Assert.Equal(new OverlapClientStats(3, 0, 3, 0, 0), stats);
        Assert.Equal((1, 1), (requests, later));
    }
}
