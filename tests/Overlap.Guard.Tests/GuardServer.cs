using System.Net;
using Microsoft.Extensions.Time.Testing;
using Overlap.Client;
using Overlap.Events;
using Overlap.Server.Auth;
using Overlap.Server.Tests;
using Overlap.Storage;

namespace Overlap.Guard.Tests;

/// <summary>A real server with one feature's contract, and a recording SDK client sending to it.</summary>
internal sealed class GuardServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private GuardServer(RunningServer server, RecordingClient client, string feature)
    {
        Server = server;
        Client = client;
        Feature = feature;
    }

    public RunningServer Server { get; }

    public RecordingClient Client { get; }

    public string Feature { get; }

    public FakeTimeProvider Time { get; } = new(Noon);

    public static async Task<GuardServer> StartAsync(string feature, string contract)
    {
        var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{feature}/contract", new StringContent(contract))).StatusCode
        );
        var client = new OverlapClient(
            new OverlapClientOptions { Endpoint = server.Address, ApiKey = server.Key(KeyRole.Ingest) }
        );
        return new GuardServer(server, new RecordingClient(client), feature);
    }

    /// <summary>The predictions the server stored, once the client has sent everything and the store has it, by id.</summary>
    public async Task<Dictionary<string, PredictionEvent>> StoredAsync()
    {
        await Client.FlushAsync();
        Assert.Equal(0, Client.Stats.Rejected + Client.Stats.Dropped);
        await Server.CountAsync(Feature);
        var events = await Server.Store<IEventReader>().ReadEventsAsync(Feature, Noon.AddDays(-1), Noon.AddDays(1));
        return events.OfType<PredictionEvent>().ToDictionary(p => p.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
