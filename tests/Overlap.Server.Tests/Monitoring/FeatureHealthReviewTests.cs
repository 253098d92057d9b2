using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Overlap.Server.Alerts;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;
using Overlap.Server.Monitoring;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// The overview's review line for a generative feature that routes outputs to people by <c>judges.people.sample</c>
/// alone (no <c>review:</c> section), on a real server: the line counts what its queue holds.
/// </summary>
public sealed class FeatureHealthReviewTests
{
    private const string Yaml = """
        feature: drafts
        task: generative
        columns: { id: id, output: draft }
        checks:
          - { name: short, max_length: 100 }
        rubric:
          - { name: helpful, question: "Does it help?", scale: pass_fail }
        judges:
          people: { sample: 1 }
        requirements:
          - { metric: acceptable_rate, min: 0.5 }
        """;

    [Fact]
    public async Task AFeatureRoutedByPeopleSample_HasAReviewLine_CountingItsQueue()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        var put = await admin.PutAsync("/v1/features/drafts/contract", new StringContent(Yaml));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        var now = TimeProvider.System.GetUtcNow();
        var events = string.Join(
            '\n',
            Enumerable
                .Range(0, 3)
                .Select(i =>
                    $$"""{"type":"prediction","id":"d{{i}}","feature":"drafts","time":"{{now.AddMinutes(-i):O}}","output":"Hi, it ships today."}"""
                )
        );
        var sent = await admin.PostAsync(
            "/v1/events",
            new StringContent(events, Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        // Reading the queue waits for the routing that has fallen due: every output is sampled (sample: 1).
        using var queue = JsonDocument.Parse(await admin.GetStringAsync("/v1/features/drafts/review"));
        Assert.Equal(3, queue.RootElement.GetProperty("counts").GetProperty("pending").GetInt64());

        var s = server.Services;
        var health = await FeatureHealth.AllAsync(
            s.GetRequiredService<ContractRegistry>(),
            s.GetRequiredService<FeatureMonitor>(),
            s.GetRequiredService<AlertService>(),
            s.GetRequiredService<ReviewQueue>(),
            now,
            CancellationToken.None
        );
        var review = Assert.Single(health, h => h.Feature == "drafts").Review;
        Assert.NotNull(review);
        Assert.Equal(3, review.Pending);
    }
}
