using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Core.Privacy;
using Overlap.Events;
using Overlap.Storage;

namespace Overlap.Server.Tests.Privacy;

/// <summary>
/// A contract's privacy rules on a real server: raw values sent to <c>/v1/events</c> are found in no byte of the data
/// folder (the DuckDB file, its WAL, the ingest log) nor in an export, while a kept value is, and hashed values link.
/// </summary>
public sealed class PrivacyAtTheDoorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    internal const string SpamContract = """
        feature: spam-filter
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: is_spam, score: p_spam, segments: [country], features: [message, email, topic] }
        requirements: [{ metric: recall, min: 0.5 }]
        privacy:
          fields: { message: redact, email: hash, notes: drop }
          subject: user_id
        """;

    internal const string HelpdeskContract = """
        feature: helpdesk
        task: generative
        columns: { input: question, output: reply }
        checks: [{ name: short, max_length: 2000 }]
        requirements: [{ metric: check.short.pass_rate, min: 0.5 }]
        privacy:
          default: redact
          fields: { topic: keep }
          subject: user_id
        """;

    /// <summary>Values that must never reach disk, as sent.</summary>
    private static readonly string[] Raw =
    [
        "ana.lopez@example.com",
        "+44 20 7946 0958",
        "4111 1111 1111 1111",
        "DE89 3704 0044 0532 0130 00",
        "203.0.113.77",
        "secret-note-XYZ",
        "user-ana-42",
        "user-raj-7",
        "raj.k@example.org",
    ];

    /// <summary>A kept value: the control that shows the search would find a raw value if it were there.</summary>
    private const string Kept = "refund-control-marker-123";

    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        foreach (var (feature, yaml) in new[] { ("spam-filter", SpamContract), ("helpdesk", HelpdeskContract) })
        {
            using var put = await admin.PutAsync($"/v1/features/{feature}/contract", new StringContent(yaml));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // @T… are times after the day, @KEPT the kept marker.
    internal static string Events(DateTimeOffset day) =>
        """
            {"type":"prediction","id":"m1","feature":"spam-filter","time":"@T0","score":0.9,"inputs":{"message":"Write to ana.lopez@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111","email":"ana.lopez@example.com","notes":"secret-note-XYZ","topic":"@KEPT"},"attributes":{"user_id":"user-ana-42","country":"es"}}
            {"type":"prediction","id":"m2","feature":"spam-filter","time":"@T1","score":0.2,"inputs":{"message":"IBAN DE89 3704 0044 0532 0130 00 from 203.0.113.77","email":"ana.lopez@example.com","topic":"@KEPT"},"attributes":{"user_id":"user-ana-42","country":"es"}}
            {"type":"prediction","id":"m3","feature":"spam-filter","time":"@T2","score":0.7,"inputs":{"message":"hello","email":"raj.k@example.org","topic":"@KEPT"},"attributes":{"user_id":"user-raj-7","country":"in"}}
            {"type":"outcome","id":"o1","prediction_id":"m1","feature":"spam-filter","label":"spam","time":"@T3"}
            {"type":"prediction","id":"c1","feature":"helpdesk","time":"@T0","output":"We wrote to ana.lopez@example.com and will call +44 20 7946 0958.","inputs":{"question":"My card 4111 1111 1111 1111 was charged twice","topic":"@KEPT"},"attributes":{"user_id":"user-ana-42"}}
            {"type":"feedback","id":"f1","prediction_id":"c1","feature":"helpdesk","kind":"thumbs_down","time":"@T5"}
            """.Replace("@KEPT", Kept, StringComparison.Ordinal).Replace(
            "@T0",
            Stamp(day),
            StringComparison.Ordinal
        ).Replace("@T1", Stamp(day.AddHours(1)), StringComparison.Ordinal).Replace(
            "@T2",
            Stamp(day.AddHours(2)),
            StringComparison.Ordinal
        ).Replace("@T3", Stamp(day.AddHours(3)), StringComparison.Ordinal).Replace(
            "@T5",
            Stamp(day.AddMinutes(5)),
            StringComparison.Ordinal
        );

    private static string Stamp(DateTimeOffset t) => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task SendAsync(RunningServer server, string body)
    {
        using var ingest = server.Client(KeyRole.Ingest);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await ingest.PostAsync("/v1/events", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(answer.RootElement.GetProperty("rejected").EnumerateArray());
    }

    /// <summary>Every file under the data folder, read as bytes (shared, so a file the server holds open is read too).</summary>
    internal static List<(string File, byte[] Bytes)> Files(string folder) =>
        [
            .. Directory
                .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f =>
                {
                    using var s = new FileStream(
                        f,
                        FileMode.Open,
                        FileAccess.Read,
                        FileShare.ReadWrite | FileShare.Delete
                    );
                    using var copy = new MemoryStream();
                    s.CopyTo(copy);
                    return (Path.GetRelativePath(folder, f), copy.ToArray());
                }),
        ];

    internal static IEnumerable<string> Holding(IEnumerable<(string File, byte[] Bytes)> files, string value) =>
        files.Where(f => f.Bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) >= 0).Select(f => f.File);

    [Fact]
    public async Task RawValues_ReachNoFile_NoExport_AndHashesLink()
    {
        await SendAsync(_server, Events(Day));
        await _server.CountAsync("spam-filter");
        await _server.CountAsync("helpdesk");
        using var viewer = _server.Client(KeyRole.Viewer);
        var export = await viewer.GetByteArrayAsync("/v1/features/spam-filter/export?format=csv");

        // While the server runs: the ingest log and DuckDB's WAL hold what arrived.
        var running = Files(_server.Folder);
        Assert.Contains(running, f => f.File.StartsWith("log", StringComparison.Ordinal));
        Assert.NotEmpty(Holding(running, Kept));
        Assert.Contains(Holding(running, Kept), f => f.StartsWith("log", StringComparison.Ordinal));
        Assert.NotEmpty(Holding([("export", export)], Kept));
        foreach (var raw in Raw)
        {
            Assert.Empty(Holding(running, raw));
            Assert.Empty(Holding([("export", export)], raw));
        }

        // What was kept: masks in free text, hashes that link the same person, the dropped field gone.
        var key = new PrivacyKey(
            Convert.FromBase64String(File.ReadAllText(Path.Combine(_server.Folder, "privacy.key")))
        );
        var spam = (await _server.Store<IEventReader>().ReadEventsAsync("spam-filter", Day, Day.AddDays(1)))
            .OfType<PredictionEvent>()
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        var (ana, raj) = (key.Hash("user-ana-42"), key.Hash("user-raj-7"));
        Assert.Equal(
            [
                $$"""{"message":"Write to [email] or call [phone]; card [card]","email":"{{key.Hash("ana.lopez@example.com")}}","topic":"{{Kept}}"}""",
                $$"""{"message":"IBAN [iban] from [ip]","email":"{{key.Hash("ana.lopez@example.com")}}","topic":"{{Kept}}"}""",
                $$"""{"message":"hello","email":"{{key.Hash("raj.k@example.org")}}","topic":"{{Kept}}"}""",
            ],
            spam.Select(p => p.InputsJson)
        );
        Assert.Equal(
            [
                $$"""{"user_id":"{{ana}}","country":"es"}""",
                $$"""{"user_id":"{{ana}}","country":"es"}""",
                $$"""{"user_id":"{{raj}}","country":"in"}""",
            ],
            spam.Select(p => p.AttributesJson)
        );
        var reply = Assert.Single(
            (
                await _server.Store<IEventReader>().ReadEventsAsync("helpdesk", Day, Day.AddDays(1))
            ).OfType<PredictionEvent>()
        );
        Assert.Equal("We wrote to [email] and will call [phone].", reply.Output);
        Assert.Equal($$"""{"question":"My card [card] was charged twice","topic":"{{Kept}}"}""", reply.InputsJson);
        Assert.Equal($$"""{"user_id":"{{ana}}"}""", reply.AttributesJson);

        // After a stop (DuckDB checkpoints its WAL into the file): still nothing raw anywhere, the kept value still there.
        await _server.StopKeepingDataAsync();
        var stopped = Files(_server.Folder);
        Assert.NotEmpty(Holding(stopped, Kept));
        Assert.All(Raw, raw => Assert.Empty(Holding(stopped, raw)));
        _server = await RunningServer.StartAsync(_server.Folder);
    }
}
