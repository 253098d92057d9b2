using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Contracts;
using Overlap.Server;
using Overlap.Storage;

namespace Overlap.Demo.Tests;

/// <summary>
/// A real server on a fake clock at the start of the mail, with a feature's contract, an admin, an ingest and three
/// reviewer keys, and the replay's options to send mail into it (label delay 2 days, 10 reviews a day, 3 s).
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private WebApplication? _app;

    private ReplayServer(DateTimeOffset start) => Clock = new FakeTimeProvider(start);

    public FakeTimeProvider Clock { get; }

    public HttpClient Admin { get; private set; } = null!;

    public ReplayOptions Options { get; private set; } = null!;

    public static async Task<ReplayServer> StartAsync(string feature, string contract, DateTimeOffset start)
    {
        var server = new ReplayServer(start);
        server._app = await OverlapServer.BuildAsync(
            new ServerOptions
            {
                DataFolder = server._folder.Path,
                Urls = "http://127.0.0.1:0",
                Time = server.Clock,
            }
        );
        await server._app.StartAsync();
        var admin = await OverlapServer.CreateKeyAsync(server._app, KeyRole.Admin, "admin");
        var ingest = await OverlapServer.CreateKeyAsync(server._app, KeyRole.Ingest, "replay");
        string[] reviewers =
        [
            .. await Task.WhenAll(
                new[] { "ana", "ben", "lead" }.Select(n =>
                    OverlapServer.CreateKeyAsync(server._app, KeyRole.Reviewer, n)
                )
            ),
        ];
        var address = new Uri(OverlapServer.Addresses(server._app)[0]);
        server.Admin = new HttpClient { BaseAddress = address };
        server.Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await server.Admin.PutAsync($"/v1/features/{feature}/contract", new StringContent(contract))).StatusCode
        );
        server.Options = new ReplayOptions
        {
            Feature = feature,
            Contract = ContractParser.Parse(contract),
            Server = address,
            IngestKey = ingest,
            ReviewerKeys = reviewers,
            Clock = server.Clock,
            LabelDelay = TimeSpan.FromDays(2),
            LabelledShare = 0.8,
            ReviewsPerDay = 10,
            Budget = TimeSpan.FromSeconds(3),
        };
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _folder.Dispose();
    }
}
