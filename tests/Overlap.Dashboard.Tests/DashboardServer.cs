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

    /// <summary>
    /// The example's January, moved to end yesterday, with outcomes for all but the last five days; each call's cost.
    /// The same payments also at their own times (with outcomes), as the contract's reference period, so windows are
    /// tested for drift; the last three days of payments shifted (amounts doubled, younger accounts, more items), and on
    /// the last day some from a channel the reference never saw, so those windows drift and show a schema change.
    /// </summary>
    private static async Task<IReadOnlyList<(DateTimeOffset, bool)>> SendPaymentsAsync(HttpClient client)
    {
        var lines = await File.ReadAllLinesAsync(Fixture("payments-fraud-scored.csv"));
        var header = lines[0].Split(',');
        string Get(string[] row, string column) => row[Array.IndexOf(header, column)];
        var shift = TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-1) - new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc);
        var lastLabelled = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-6), TimeSpan.Zero);
        var drifted = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-4), TimeSpan.Zero);
        var lastDay = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-2), TimeSpan.Zero);
        var events = new StringBuilder();
        var reference = new StringBuilder();
        var sent = new List<(DateTimeOffset, bool)>();
        var index = 0;
        foreach (var r in lines.Skip(1).Select(l => l.Split(',')))
        {
            var original = DateTimeOffset.Parse(Get(r, "created_at"), CultureInfo.InvariantCulture);
            var time = original + shift;
            var shifted = time >= drifted;
            var amount = double.Parse(Get(r, "amount"), CultureInfo.InvariantCulture) * (shifted ? 2 : 1);
            var age = int.Parse(Get(r, "account_age_days"), CultureInfo.InvariantCulture) / (shifted ? 3 : 1);
            var items = int.Parse(Get(r, "items"), CultureInfo.InvariantCulture) + (shifted ? 2 : 0);
            var channel = time >= lastDay && index++ % 10 == 0 ? "kiosk" : Get(r, "channel");
            Append(events, Get(r, "payment_id"), time, r, channel, amount, age, items);
            sent.Add((time, time < lastLabelled));
            Append(reference, "ref-" + Get(r, "payment_id"), original, r, Get(r, "channel"), double.Parse(Get(r, "amount"), CultureInfo.InvariantCulture), int.Parse(Get(r, "account_age_days"), CultureInfo.InvariantCulture), int.Parse(Get(r, "items"), CultureInfo.InvariantCulture));
            Outcome(reference, "ref-" + Get(r, "payment_id"), original, r);
            if (time < lastLabelled)
            {
                Outcome(events, Get(r, "payment_id"), time, r);
            }
        }
        foreach (var batch in new[] { reference, events })
        {
            var response = await client.PostAsync("/v1/events", new StringContent(batch.ToString(), Encoding.UTF8, "application/x-ndjson"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        return sent;

        void Append(StringBuilder to, string id, DateTimeOffset time, string[] r, string channel, double amount, int age, int items) =>
            to.Append(CultureInfo.InvariantCulture, $$$"""{"type":"prediction","id":"{{{id}}}","feature":"{{{Feature}}}","time":"{{{When(time)}}}","score":{{{Get(r, "p_fraud")}}},"latency_ms":{{{Get(r, "latency_ms")}}},"cost":{{{items * 0.001}}},"attributes":{"channel":"{{{channel}}}","region":"{{{Get(r, "region")}}}"},"inputs":{"amount":{{{amount}}},"account_age_days":{{{age}}},"items":{{{items}}},"hour":{{{Get(r, "hour")}}}}}""").Append('\n');
        void Outcome(StringBuilder to, string id, DateTimeOffset time, string[] r) =>
            to.Append(CultureInfo.InvariantCulture, $$"""{"type":"outcome","id":"o-{{id}}","prediction_id":"{{id}}","label":"{{Get(r, "outcome")}}","time":"{{When(time)}}"}""").Append('\n');
        static string When(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
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
