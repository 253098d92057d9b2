using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Evaluation;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// The server never stops on its own: one feature's failure in the background leaves the others served, work started in
/// the background is owned by the host, and a failure that does stop the host is reported rather than taken for a clean stop.
/// </summary>
public sealed class BackgroundFailureTests
{
    [Fact]
    public async Task AlertScheduler_OneFeaturesContractNoLongerReads_OtherFeaturesWindowsAreStillComputed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 22, 0, 0, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        using var admin = server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            "/v1/features/payments-fraud/contract",
            new StringContent(
                File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        // Stored as an older server or a hand edit left it: it sorts first and no longer parses.
        await server
            .Store<IContractStore>()
            .PutContractAsync("a-broken", "feature: a-broken\ntask: nonsense\n", "test", clock.GetUtcNow());

        var day = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var waited = Stopwatch.StartNew();
        while (
            (
                await server
                    .Store<IWindowReportStore>()
                    .CurrentWindowStampsAsync(
                        "payments-fraud",
                        day,
                        day.AddDays(1),
                        TimeSpan.FromDays(1),
                        1,
                        new EvaluationOptions().Resamples
                    )
            ).Count == 0
        )
        {
            Assert.True(
                waited.Elapsed < TimeSpan.FromSeconds(60),
                "the scheduler never stored payments-fraud's closed window"
            );
            // Past midnight the clock moves a minute at a time, so a scheduler that wakes late still finds 1 March as
            // the window that just closed rather than racing on to a later day.
            clock.Advance(clock.GetUtcNow() < day.AddDays(1) ? TimeSpan.FromMinutes(30) : TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task FigureRefresher_HostStops_CancelsAndWaitsForWhatRuns()
    {
        using var refresher = new FigureRefresher(NullLogger<FigureRefresher>.Instance);
        await refresher.StartAsync(CancellationToken.None);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(refresher.TryQueue("figure", async token =>
            {
                entered.SetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                finally
                {
                    await Task.Delay(100, CancellationToken.None);
                    finished.SetResult();
                }
            }));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(
            refresher.TryQueue("figure", _ => Task.CompletedTask),
            "the same figure was queued twice while it was being computed"
        );
        await refresher.StopAsync(CancellationToken.None);
        Assert.True(finished.Task.IsCompleted, "stopping returned while a piece of work was still running");
        Assert.True(
            refresher.ExecuteTask is { IsCompletedSuccessfully: true },
            "the refresher did not end cleanly on stop"
        );
    }

    [Fact]
    public async Task FigureRefresher_OneComputationFails_TheNextStillRunsAndTheFigureCanBeQueuedAgain()
    {
        using var refresher = new FigureRefresher(NullLogger<FigureRefresher>.Instance);
        await refresher.StartAsync(CancellationToken.None);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(refresher.TryQueue("a", _ =>
            {
                failed.SetResult();
                throw new InvalidOperationException("broken window");
            }));
        Assert.True(refresher.TryQueue("b", _ =>
            {
                ran.SetResult();
                return Task.CompletedTask;
            }));
        await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(failed.Task.IsCompleted);
        Assert.True(
            refresher.TryQueue("a", _ => Task.CompletedTask),
            "a figure whose computation failed could not be queued again"
        );
        await refresher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StoppedBy_ABackgroundServiceFailed_NamesItAndItsCause()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService<Failing>();
        using var host = builder.Build();
        await host.StartAsync();
        await host.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var stopped = OverlapServer.StoppedBy(host.Services);
        Assert.NotNull(stopped);
        Assert.Equal(nameof(Failing), stopped.Value.Service);
        Assert.Equal("the receiver answered data:", stopped.Value.Exception.Message);
    }

    [Fact]
    public async Task StoppedBy_ARunningServer_IsNull()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Null(OverlapServer.StoppedBy(server.Services));
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new NotSupportedException("the receiver answered data:");
        }
    }
}
