using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary><c>/healthz</c> says unhealthy, with the reason, when the data folder takes no write or the loader is stuck.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_DataFolderCannotBeWritten_Answers503WithTheReason()
    {
        await using var server = await RunningServer.StartAsync();
        using var anonymous = server.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);

        // A folder where the probe writes its file: the write fails as it would on a full or read-only disk.
        var blocker = Directory.CreateDirectory(Path.Combine(server.Folder, ".health-probe"));
        var response = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using (var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal("unhealthy", body.RootElement.GetProperty("status").GetString());
            Assert.Contains(
                "cannot be written",
                body.RootElement.GetProperty("reason").GetString(),
                StringComparison.Ordinal
            );
        }

        blocker.Delete();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Healthz_LoaderStuckWithAcknowledgedEvents_Answers503AfterAMinute()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        using var admin = server.Client(KeyRole.Admin);
        using var anonymous = server.Client(null);
        await PutContractAsync(admin);

        // The loader stops (as it would behind a store that refuses every write); ingest still acknowledges into the log.
        await server.Services.GetRequiredService<LogLoader>().StopAsync(CancellationToken.None);
        await PostPredictionAsync(admin);
        var waiting = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
        // The acknowledged prediction waits in the log: its frame's bytes are what the loader has still to move.
        long waitingBytes;
        using (var body = JsonDocument.Parse(await waiting.Content.ReadAsStringAsync()))
        {
            waitingBytes = body.RootElement.GetProperty("waiting_bytes").GetInt64();
        }
        Assert.InRange(waitingBytes, 100, 4096);

        clock.Advance(LogLoader.StuckAfter + TimeSpan.FromSeconds(1));
        var response = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var stuck = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(
            "loader has moved no acknowledged event",
            stuck.RootElement.GetProperty("reason").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(waitingBytes, stuck.RootElement.GetProperty("waiting_bytes").GetInt64());
    }

    [Fact]
    public async Task Healthz_SaysNothingWaitsOnceTheLoaderHasStoredWhatWasAcknowledged()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        using var anonymous = server.Client(null);
        await PutContractAsync(admin);
        await PostPredictionAsync(admin);
        await server.Services.GetRequiredService<LogLoader>().WaitLoadedAsync(CancellationToken.None);

        var response = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("waiting_bytes").GetInt64());
        Assert.Equal(
            1,
            (await server.Services.GetRequiredService<IEventReader>().CountAsync("payments-fraud")).Predictions
        );
    }

    private static async Task PutContractAsync(HttpClient admin)
    {
        var put = await admin.PutAsync(
            "/v1/features/payments-fraud/contract",
            new StringContent(
                File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    /// <summary>One prediction, acknowledged (202).</summary>
    private static async Task PostPredictionAsync(HttpClient admin)
    {
        var posted = await admin.PostAsync(
            "/v1/events",
            new StringContent(
                """{"type":"prediction","id":"p1","feature":"payments-fraud","time":"2026-03-01T11:00:00Z","score":0.5}""",
                Encoding.UTF8,
                "application/json"
            )
        );
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
    }
}
