using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server.Tests.Review;

/// <summary>
/// The overview's glance at a review queue is kept for a few seconds, but never past a change this server made to the
/// queue: a page opened right after routing or a decision shows it (seen in CI: a reload showed "0 pending" beside
/// an API that answered 293).
/// </summary>
public sealed class QueueGlanceTests
{
    private const string Feature = "payments-fraud";

    [Fact]
    public async Task AGlance_AfterRoutingOrADecision_CountsTheQueueAsItIsNow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        using var admin = server.Client(KeyRole.Admin);
        var yaml = await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml")
        );
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
        var queue = server.Services.GetRequiredService<ReviewQueue>();
        Assert.Equal(0, (await queue.GlanceAsync(Feature, CancellationToken.None)).Pending);

        // Three uncertain payments (the contract routes scores between 0.4 and 0.6).
        var events = string.Join(
            '\n',
            Enumerable
                .Range(1, 3)
                .Select(i =>
                    $$$"""{"type":"prediction","id":"g{{{i}}}","feature":"{{{Feature}}}","time":"2026-03-01T10:0{{{i}}}:00Z","score":0.5,"inputs":{"amount":{{{i * 10}}},"account_age_days":3,"items":1,"hour":10}}"""
                )
        );
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await admin.PostAsync("/v1/events", new StringContent(events, Encoding.UTF8, "application/x-ndjson"))
            ).StatusCode
        );
        await server.CountAsync(Feature);
        Assert.True(await queue.RouteAsync(Feature, CancellationToken.None));
        var routed = await queue.GlanceAsync(Feature, CancellationToken.None);
        Assert.Equal((3, 0), (routed.Pending, routed.Decided));

        var (item, problem) = await queue.ClaimAsync(Feature, "g1", "ana", CancellationToken.None);
        Assert.NotNull(item);
        Assert.Null(problem);
        var outcome = await queue.DecideAsync(
            Feature,
            "g1",
            "ana",
            "approve",
            null,
            null,
            null,
            null,
            CancellationToken.None
        );
        Assert.Equal(DecisionResult.Decided, outcome.Result);
        var decided = await queue.GlanceAsync(Feature, CancellationToken.None);
        Assert.Equal((2, 1), (decided.Pending, decided.Decided));
    }
}
