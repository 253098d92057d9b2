using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Tests.Webhooks;

/// <summary>
/// Webhook delivery against receivers on loopback that misbehave: whatever a receiver answers, the server keeps serving
/// and records the delivery as failed with its reason; without the admin's allow-list, loopback is refused before any
/// connection.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private const string Feature = "fraud";

    /// <summary>A server (allowing loopback receivers unless <paramref name="allowLoopback"/> is false) whose alerts go to <paramref name="hook"/>, with an alerting window judged: the delivery is under way.</summary>
    private static async Task<RunningServer> AlertAsync(
        string hook,
        bool allowLoopback = true,
        Func<ServerOptions, ServerOptions>? configure = null
    )
    {
        var server = await RunningServer.StartAsync(configure: o =>
            (configure ?? (x => x))(
                o with
                {
                    WebhookBackoff = TimeSpan.FromMilliseconds(50),
                    WebhookAttempts = 2,
                    WebhookAllow = allowLoopback ? ["127.0.0.1/32"] : [],
                }
            )
        );
        if (allowLoopback)
        {
            await AlertTests.PutContractAndEventsAsync(server, hook);
        }
        else
        {
            // As a contract saved before webhooks were checked: straight into the store, past the save-time check.
            var text = AlertTests.ContractText(hook);
            await server.Store<IContractStore>().PutContractAsync(Feature, text, "before", DateTimeOffset.UnixEpoch);
            await server.Services.GetRequiredService<ContractRegistry>().ReloadAsync(Feature, CancellationToken.None);
            await AlertTests.PostEventsAsync(server);
        }
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window=2026-03-01", null)).StatusCode
        );
        return server;
    }

    /// <summary>The latest alert's history entry once its delivery is settled (not pending).</summary>
    private static async Task<JsonElement> SettledAsync(RunningServer server)
    {
        using var viewer = server.Client(KeyRole.Viewer);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var latest = JsonDocument
                .Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/alerts"))
                .RootElement.GetProperty("history")[0];
            if (latest.GetProperty("delivery").GetString() != "pending")
            {
                return latest;
            }
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the delivery stayed pending");
            await Task.Delay(50);
        }
    }

    /// <summary>The failure's reason, once the delivery failed.</summary>
    private static async Task<string> FailedAsync(RunningServer server)
    {
        var latest = await SettledAsync(server);
        Assert.Equal("failed", latest.GetProperty("delivery").GetString());
        return latest.GetProperty("delivery_reason").GetString()!;
    }

    /// <summary>The server still answers a while after the delivery settled (a stopping host takes about a second), and nothing asked it to stop.</summary>
    private static async Task AssertServingAsync(RunningServer server)
    {
        await Task.Delay(1500);
        Assert.False(
            server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
            "the host is stopping"
        );
        using var viewer = server.Client(KeyRole.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/v1/features/{Feature}/alerts")).StatusCode);
    }

    [Theory]
    [InlineData(307, "data:text/plain,hello", "a data: address")]
    [InlineData(302, "file:///etc/passwd", "a file: address")]
    [InlineData(301, "gopher://127.0.0.1:70/x", "a gopher: address")]
    public async Task Deliver_RedirectToAnotherScheme_FailsWithTheReason_AndTheServerKeepsServing(
        int status,
        string location,
        string shown
    )
    {
        await using var receiver = await WebhookReceiver.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });
        await using var server = await AlertAsync($"{receiver.Address}/hook");
        var reason = await FailedAsync(server);
        Assert.Equal($"the receiver answered {status} (redirect to {shown}); redirects are not followed", reason);
        // A redirect is final: not tried again.
        Assert.Equal(["/hook"], receiver.Paths);
        await AssertServingAsync(server);
    }

    [Fact]
    public async Task Deliver_Redirect307ElsewhereOnHttp_IsNotFollowed_SoTheBodyIsNotPostedAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context =>
        {
            if (context.Request.Path == "/hook")
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = "/elsewhere?token=secret";
            }
            return Task.CompletedTask;
        });
        await using var server = await AlertAsync($"{receiver.Address}/hook");
        Assert.Equal(
            "the receiver answered 307 (redirect to a relative address); redirects are not followed",
            await FailedAsync(server)
        );
        Assert.Equal(["/hook"], receiver.Paths);
        await AssertServingAsync(server);
    }

    [Fact]
    public async Task Deliver_ToLoopbackWithoutTheAllowList_IsRefusedBeforeAnyConnection()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.CompletedTask);
        await using var server = await AlertAsync($"{receiver.Address}/hook", allowLoopback: false);
        var reason = await FailedAsync(server);
        Assert.StartsWith(
            "127.0.0.1 resolves to 127.0.0.1, a loopback address; webhooks may reach only public addresses unless an admin allows this host with --webhook-allow",
            reason,
            StringComparison.Ordinal
        );
        Assert.Equal(0, receiver.Connections);
        Assert.Empty(receiver.Paths);
        await AssertServingAsync(server);
    }

    [Fact]
    public async Task Deliver_AReceiverThatNeverAnswers_FailsAfterTheTimeout_OnEachAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context =>
            Task.Delay(Timeout.Infinite, context.RequestAborted)
        );
        await using var server = await AlertAsync($"{receiver.Address}/hook", configure: o =>
            o with
            {
                WebhookTimeout = TimeSpan.FromMilliseconds(500),
            }
        );
        Assert.Equal("no answer within 0.5 s", await FailedAsync(server));
        // The server's own count: both attempts were made and timed out. The receiver may see fewer of them, because
        // under load Kestrel can take longer than the 0.5 s to hand a request to its handler; it never sees more.
        Assert.Equal(2, (await SettledAsync(server)).GetProperty("attempts").GetInt32());
        Assert.InRange(receiver.Paths.Count, 0, 2);
        await AssertServingAsync(server);
    }

    [Fact]
    public async Task Deliver_AReceiverAnswering500_IsTriedAgain_ThenFails()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        await using var server = await AlertAsync($"{receiver.Address}/hook");
        var latest = await SettledAsync(server);
        Assert.Equal(
            ("failed", 2, "the receiver answered 500"),
            (
                latest.GetProperty("delivery").GetString(),
                latest.GetProperty("attempts").GetInt32(),
                latest.GetProperty("delivery_reason").GetString()
            )
        );
        await AssertServingAsync(server);
    }

    [Fact]
    public async Task Deliver_AReceiverAnsweringAHugeBody_IsDelivered_ReadingOnlyTheStartOfIt()
    {
        // 1 GiB at 64 KiB every 2 ms or more: at least 32 s to read whole. What bytes went out cannot be counted from
        // here (Kestrel completes writes to a connection the client closed), so the time tells: the delivery is settled
        // long before the answer could have been read.
        await using var receiver = await WebhookReceiver.StartAsync(async context =>
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 16 * 1024 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                try
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    await Task.Delay(2, context.RequestAborted);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    return;
                }
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var server = await AlertAsync($"{receiver.Address}/hook");
        var latest = await SettledAsync(server);
        Assert.Equal("delivered", latest.GetProperty("delivery").GetString());
        Assert.False(latest.TryGetProperty("delivery_reason", out _));
        Assert.True(
            clock.Elapsed < TimeSpan.FromSeconds(20),
            $"the delivery took {clock.Elapsed.TotalSeconds:0.0} s: the server read the whole answer"
        );
        await AssertServingAsync(server);
    }
}
