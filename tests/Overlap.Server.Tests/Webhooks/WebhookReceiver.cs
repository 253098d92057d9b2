using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Overlap.Server.Tests.Webhooks;

/// <summary>
/// A webhook receiver on a free loopback port that answers every request with <c>answer</c> (well or badly), and counts
/// the connections it accepted and the paths it was asked for, so a test can tell what the server sent where.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The receiver's address, e.g. http://127.0.0.1:40123.</summary>
    public string Address => OverlapServer.Addresses(_app)[0];

    /// <summary>How many connections it accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Each request's path, in order.</summary>
    public ConcurrentQueue<string> Paths { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(Func<HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        WebhookReceiver? receiver = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Use(next =>
                    connection =>
                    {
                        Interlocked.Increment(ref receiver!._connections);
                        return next(connection);
                    }
                )));
        var app = builder.Build();
        receiver = new WebhookReceiver(app);
        app.Run(context =>
        {
            receiver.Paths.Enqueue(context.Request.Path.Value ?? "");
            return answer(context);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
