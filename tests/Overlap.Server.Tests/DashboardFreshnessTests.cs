using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Contracts;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// A dashboard page never waits for the open window to be recomputed: it gets the last computation, at most
/// <see cref="FeatureMonitor.FreshFor"/> old, while a fresh one runs in the background; the API stays exact.
/// </summary>
public sealed class DashboardFreshnessTests
{
    private const string Feature = "payments-fraud";

    [Fact]
    public async Task TheOpenWindow_IsShownAsLastComputed_AndRefreshedInTheBackground_WhileTheApiIsExact()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        using var admin = server.Client(Overlap.Storage.KeyRole.Admin);
        var yaml = await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml")
        );
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
        async Task SendAsync(int from, int count)
        {
            var events = string.Join(
                '\n',
                Enumerable
                    .Range(from, count)
                    .Select(i =>
                        $$$"""{"type":"prediction","id":"f{{{i}}}","feature":"{{{Feature}}}","time":"2026-03-01T0{{{i % 10}}}:00:00Z","score":0.{{{i % 10}}},"inputs":{"amount":{{{i}}},"account_age_days":3,"items":1,"hour":1}}"""
                    )
            );
            Assert.Equal(
                HttpStatusCode.Accepted,
                (
                    await admin.PostAsync(
                        "/v1/events",
                        new StringContent(events, Encoding.UTF8, "application/x-ndjson")
                    )
                ).StatusCode
            );
            await server.CountAsync(Feature);
        }
        var monitor = server.Services.GetRequiredService<FeatureMonitor>();
        var (contract, version, _) = server.Services.GetRequiredService<ContractRegistry>().Current(Feature)!;
        (DateTimeOffset, DateTimeOffset)[] today =
        [
            (
                new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)
            ),
        ];
        var options = new EvaluationOptions { Resamples = 0 };
        async Task<int> PageAsync() =>
            (await monitor.ReportAsync(contract, version, today, options, CancellationToken.None, stale: true))
                .Windows[0]
                .Predictions;
        async Task<int> ApiAsync() =>
            (await monitor.ReportAsync(contract, version, today, options, CancellationToken.None))
                .Windows[0]
                .Predictions;

        await SendAsync(0, 10);
        Assert.Equal(10, await PageAsync());
        await SendAsync(10, 5);
        // Within FreshFor the page keeps what it computed; the API counts every prediction.
        Assert.Equal(10, await PageAsync());
        Assert.Equal(15, await ApiAsync());
        // The API's computation is kept for pages too.
        Assert.Equal(15, await PageAsync());
        await SendAsync(15, 5);
        clock.Advance(FeatureMonitor.FreshFor + TimeSpan.FromSeconds(1));
        // Older than FreshFor: the page still answers at once with the kept figure, and a background refresh brings the new one.
        Assert.Equal(15, await PageAsync());
        var waited = Stopwatch.StartNew();
        while (await PageAsync() != 20)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the background refresh never landed");
            await Task.Delay(50);
        }
    }
}
