using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Overlap.Events;
using Overlap.Server.Auth;
using Overlap.Server.Tests;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Client.Tests;

/// <summary>The SDK against a real server on loopback: batching, flush on dispose, retries, refusals and drops, all counted.</summary>
public sealed class OverlapClientTests
{
    private const string Feature = "payments-fraud";
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static PredictionEvent Prediction(int i, string feature = Feature) =>
        new()
        {
            Id = $"p{i}",
            Time = Noon.AddSeconds(i),
            Feature = feature,
            Score = (i % 100) / 100.0,
            LatencyMs = 20 + (i % 7),
            AttributesJson = "{\"channel\":\"web\"}",
        };

    private static async Task PutContractAsync(RunningServer server)
    {
        using var admin = server.Client(KeyRole.Admin);
        var yaml = await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml")
        );
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
    }

    [Fact]
    public async Task AddOverlap_EveryKindOfEvent_ArrivesByTheTimeTheContainerIsDisposed()
    {
        await using var server = await RunningServer.StartAsync();
        await PutContractAsync(server);
        var services = new ServiceCollection()
            .AddOverlap(o =>
            {
                o.Endpoint = server.Address;
                o.ApiKey = server.Key(KeyRole.Ingest);
                o.MaxBatchSize = 200;
            })
            .BuildServiceProvider();
        var client = services.GetRequiredService<IOverlapClient>();
        for (var i = 0; i < 1_234; i++)
        {
            client.LogPrediction(Prediction(i));
        }
        for (var i = 0; i < 100; i++)
        {
            client.LogOutcome(
                new OutcomeEvent
                {
                    Id = $"o{i}",
                    Time = Noon.AddDays(1),
                    PredictionId = $"p{i}",
                    Label = (i % 3 == 0) ? "1" : "0",
                }
            );
        }
        client.LogFeedback(
            new FeedbackEvent
            {
                Id = "f1",
                Time = Noon,
                PredictionId = "p1",
                FeedbackKind = "thumbs_down",
            }
        );
        client.LogBusiness(
            new BusinessEvent
            {
                Id = "b1",
                Time = Noon,
                Name = "chargeback",
                Value = 80,
                PredictionId = "p3",
            }
        );
        await services.DisposeAsync();

        Assert.Equal(new OverlapClientStats(1_336, 1_336, 0, 0, 0), client.Stats);
        Assert.Equal(new EventCounts(1_234, 100, 1, 1, 100), await server.CountAsync(Feature));
    }

    [Fact]
    public async Task LogShadowPrediction_StoresTheChallengersAnswer_UnderTheServedIdAtShadow()
    {
        await using var server = await RunningServer.StartAsync();
        await PutContractAsync(server);
        var client = new OverlapClient(
            new OverlapClientOptions { Endpoint = server.Address, ApiKey = server.Key(KeyRole.Ingest) }
        );
        var served = Prediction(7) with { ModelVersion = "gbm@1", Cost = 0.002 };
        client.LogPrediction(served);
        client.LogShadowPrediction(served, "gbm@2", score: 0.91, latencyMs: 35);
        client.LogShadowPrediction(null!, "gbm@2", score: 0.5);
        client.LogOutcome(
            new OutcomeEvent
            {
                Id = "o7",
                Time = Noon.AddDays(1),
                PredictionId = "p7",
                Label = "1",
            }
        );
        await client.DisposeAsync();

        // The null served prediction is dropped and counted; the other three arrive.
        Assert.Equal(new OverlapClientStats(4, 3, 0, 1, 0), client.Stats);
        Assert.Equal(new EventCounts(2, 1, 0, 0, 1), await server.CountAsync(Feature));
        var rows = await server
            .Store<IEventReader>()
            .ReadPredictionsAsync(Feature, Noon, Noon.AddMinutes(1), ["channel"]);
        var shadow = Array.IndexOf(rows.Ids, "p7@shadow");
        var original = Array.IndexOf(rows.Ids, "p7");
        Assert.True(shadow >= 0 && original >= 0, string.Join(", ", rows.Ids));
        Assert.Equal(("gbm@2", 0.91, 35.0), (rows.ModelVersions[shadow], rows.Scores[shadow], rows.LatencyMs[shadow]));
        Assert.Equal(("gbm@1", 0.07), (rows.ModelVersions[original], rows.Scores[original]));
        // Copied from the served prediction: its time and attributes; its cost is the served model's, so not copied.
        Assert.Equal(rows.TimesUs[original], rows.TimesUs[shadow]);
        Assert.Equal("web", rows.Attributes["channel"][shadow]);
        Assert.True(double.IsNaN(rows.Costs[shadow]));
        // The label is sent once, for the served id (the store keeps the contract's name for label 1).
        Assert.Equal("fraud", rows.Labels[original]);
        Assert.Null(rows.Labels[shadow]);
    }

    [Fact]
    public async Task RefusedEvents_AreCountedAndNotRetried()
    {
        await using var server = await RunningServer.StartAsync();
        await PutContractAsync(server);
        var client = new OverlapClient(
            new OverlapClientOptions { Endpoint = server.Address, ApiKey = server.Key(KeyRole.Ingest) }
        );
        client.LogPrediction(Prediction(1));
        client.LogPrediction(Prediction(2, feature: "no-contract"));
        await client.FlushAsync();
        Assert.Equal(new OverlapClientStats(2, 1, 1, 0, 0), client.Stats);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task ServerDownAtFirst_EventsAreRetriedUntilItAnswers()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-client-").FullName;
        string key;
        await using (var opened = new TestStore(folder))
        {
            key = await ApiKeys.CreateAsync(opened.Get<IUserStore>(), KeyRole.Ingest, "app", Noon);
            // The contract is there before the server starts, so the first retry that reaches it is accepted.
            await opened
                .Get<IContractStore>()
                .PutContractAsync(
                    Feature,
                    await File.ReadAllTextAsync(
                        Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml")
                    ),
                    "ana",
                    Noon
                );
        }
        var port = FreePort();
        var client = new OverlapClient(
            new OverlapClientOptions
            {
                Endpoint = new Uri($"http://127.0.0.1:{port}"),
                ApiKey = key,
                FlushInterval = TimeSpan.FromMilliseconds(50),
                InitialBackoff = TimeSpan.FromMilliseconds(50),
                MaxBackoff = TimeSpan.FromMilliseconds(200),
            }
        );
        for (var i = 0; i < 300; i++)
        {
            client.LogPrediction(Prediction(i));
        }
        // Nothing listens yet: the client keeps the events and retries.
        while (client.Stats.Retries < 2)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, client.Stats.Sent);
        await using var server = await RunningServer.StartAsync(folder, $"http://127.0.0.1:{port}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.FlushAsync(timeout.Token);
        Assert.Equal((300L, 0L, 0L), (client.Stats.Sent, client.Stats.Rejected, client.Stats.Dropped));
        Assert.Equal(300, (await server.CountAsync(Feature)).Predictions);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task NoServerAndAFullQueue_LogNeverThrows_AndEveryEventIsAccountedFor()
    {
        var client = new OverlapClient(
            new OverlapClientOptions
            {
                Endpoint = new Uri($"http://127.0.0.1:{FreePort()}"),
                ApiKey = "ovl_nobody",
                QueueCapacity = 10,
                MaxBatchSize = 5,
                InitialBackoff = TimeSpan.FromMilliseconds(20),
                ShutdownTimeout = TimeSpan.FromMilliseconds(300),
            }
        );
        for (var i = 0; i < 1_000; i++)
        {
            client.LogPrediction(Prediction(i));
        }
        client.LogPrediction(null!);
        var queued = client.Stats;
        Assert.Equal(1_001, queued.Logged);
        Assert.InRange(queued.Dropped, 1_001 - 20, 1_001);
        await client.DisposeAsync();
        client.LogOutcome(
            new OutcomeEvent
            {
                Id = "late",
                Time = Noon,
                PredictionId = "p1",
                Label = "1",
            }
        );
        var final = client.Stats;
        Assert.Equal((1_002L, 0L, 1_002L, 0L), (final.Logged, final.Sent, final.Dropped, final.Pending));
    }

    [Fact]
    public void MissingEndpointOrKey_IsRefusedAtConstruction()
    {
        Assert.Contains(
            "Endpoint",
            Assert
                .Throws<ArgumentException>(() => new OverlapClient(new OverlapClientOptions { ApiKey = "k" }))
                .Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "overlap keys create",
            Assert
                .Throws<ArgumentException>(() =>
                    new OverlapClient(new OverlapClientOptions { Endpoint = new Uri("http://127.0.0.1:1") })
                )
                .Message,
            StringComparison.Ordinal
        );
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
