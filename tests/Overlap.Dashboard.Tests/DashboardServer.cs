using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Overlap.Tests.Shared;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// A real <c>overlap serve</c> on loopback with a fresh data folder, an admin and a viewer key, the payments-fraud
/// contract, and its example month of payments replayed as the last 30 days (so the overview's range holds them).
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    private const string Feature = "payments-fraud";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "overlap-dashboard-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _server;

    public string Address { get; private set; } = "";

    public string AdminKey { get; private set; } = "";

    public string ViewerKey { get; private set; } = "";

    public string ReviewerKey { get; private set; } = "";

    /// <summary>Each payment sent: its time and whether its outcome was sent too.</summary>
    public IReadOnlyList<(DateTimeOffset Time, bool Labelled)> Sent { get; private set; } = [];

    /// <summary>The payments in the overview's range: the 30 daily windows up to the end of today (UTC).</summary>
    public (int Predictions, int Labelled) InLast30Days
    {
        get
        {
            var from = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-29), TimeSpan.Zero);
            var inRange = Sent.Where(p => p.Time >= from).ToList();
            return (inRange.Count, inRange.Count(p => p.Labelled));
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        AdminKey = await RunAsync("keys", "create", "--data", _data, "--role", "admin");
        ViewerKey = await RunAsync("keys", "create", "--data", _data, "--role", "viewer");
        ReviewerKey = await RunAsync("keys", "create", "--data", _data, "--role", "reviewer");
        var port = ServeProcess.FreePort();
        Address = $"http://127.0.0.1:{port}";
        _server = ServeProcess.Start(["serve", "--data", _data, "--urls", Address]);
        using var admin = Client(AdminKey);
        await ServeProcess.WaitUntilHealthyAsync(admin, _server);
        var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(await File.ReadAllTextAsync(Fixture("payments-fraud.yaml"))));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Sent = await SendPaymentsAsync(admin);
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The example's January, moved to end yesterday; outcomes for all but the last five days.</summary>
    private static async Task<IReadOnlyList<(DateTimeOffset, bool)>> SendPaymentsAsync(HttpClient client)
    {
        var lines = await File.ReadAllLinesAsync(Fixture("payments-fraud-scored.csv"));
        var header = lines[0].Split(',');
        string Get(string[] row, string column) => row[Array.IndexOf(header, column)];
        var shift = TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-1) - new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc);
        var lastLabelled = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-6), TimeSpan.Zero);
        var events = new StringBuilder();
        var sent = new List<(DateTimeOffset, bool)>();
        foreach (var r in lines.Skip(1).Select(l => l.Split(',')))
        {
            var time = DateTimeOffset.Parse(Get(r, "created_at"), CultureInfo.InvariantCulture) + shift;
            var when = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            events.Append(CultureInfo.InvariantCulture, $$$"""{"type":"prediction","id":"{{{Get(r, "payment_id")}}}","feature":"{{{Feature}}}","time":"{{{when}}}","score":{{{Get(r, "p_fraud")}}},"latency_ms":{{{Get(r, "latency_ms")}}},"attributes":{"channel":"{{{Get(r, "channel")}}}","region":"{{{Get(r, "region")}}}"},"inputs":{"amount":{{{Get(r, "amount")}}},"account_age_days":{{{Get(r, "account_age_days")}}},"items":{{{Get(r, "items")}}},"hour":{{{Get(r, "hour")}}}}}""").Append('\n');
            sent.Add((time, time < lastLabelled));
            if (time < lastLabelled)
            {
                events.Append(CultureInfo.InvariantCulture, $$"""{"type":"outcome","id":"o-{{Get(r, "payment_id")}}","prediction_id":"{{Get(r, "payment_id")}}","label":"{{Get(r, "outcome")}}","time":"{{when}}"}""").Append('\n');
            }
        }
        var response = await client.PostAsync("/v1/events", new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return sent;
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        using var process = ServeProcess.Start(args, drainOutput: false);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }
}
