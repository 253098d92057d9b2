using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>A real server on a free loopback port over a real DuckDB file in a temporary folder, with one key per role.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<KeyRole, string> _keys;

    private RunningServer(WebApplication app, string folder, Uri address, Dictionary<KeyRole, string> keys)
    {
        _app = app;
        Folder = folder;
        Address = address;
        _keys = keys;
    }

    public string Folder { get; }

    public Uri Address { get; }

    public T Store<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The server's services, for tests that look inside.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A feature's counts through GET /counts, which waits until every acknowledged event has reached the store.</summary>
    public async Task<EventCounts> CountAsync(string feature)
    {
        using var viewer = Client(KeyRole.Viewer);
        using var json = System.Text.Json.JsonDocument.Parse(
            await viewer.GetStringAsync($"/v1/features/{feature}/counts")
        );
        var c = json.RootElement;
        return new EventCounts(
            c.GetProperty("predictions").GetInt64(),
            c.GetProperty("outcomes").GetInt64(),
            c.GetProperty("feedback").GetInt64(),
            c.GetProperty("business").GetInt64(),
            c.GetProperty("labelled").GetInt64()
        );
    }

    /// <summary>The key of a role, for clients that send it themselves.</summary>
    public string Key(KeyRole role) => _keys[role];

    public static async Task<RunningServer> StartAsync(
        string? folder = null,
        string urls = "http://127.0.0.1:0",
        Func<ServerOptions, ServerOptions>? configure = null
    )
    {
        folder ??= Directory.CreateTempSubdirectory("overlap-server-").FullName;
        var options = new ServerOptions { DataFolder = folder, Urls = urls };
        var app = await OverlapServer.BuildAsync(configure is null ? options : configure(options));
        await app.StartAsync();
        var store = app.Services.GetRequiredService<IUserStore>();
        var keys = new Dictionary<KeyRole, string>();
        foreach (var role in Enum.GetValues<KeyRole>())
        {
            keys[role] = await ApiKeys.CreateAsync(store, role, $"{role} tester", DateTimeOffset.UnixEpoch);
        }
        return new RunningServer(app, folder, new Uri(OverlapServer.Addresses(app)[0]), keys);
    }

    /// <summary>A client with the key of <paramref name="role"/>, or with no key.</summary>
    public HttpClient Client(KeyRole? role)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (role is { } r)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _keys[r]);
        }
        return client;
    }

    /// <summary>Stops the server and closes the store, leaving the folder for a new server to open.</summary>
    public async Task StopKeepingDataAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopKeepingDataAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // The folder is temporary; a leftover file does not fail a test.
        }
    }
}
