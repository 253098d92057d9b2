using System.Globalization;
using System.Net;
using System.Text;
using DuckDB.NET.Data;

namespace Overlap.Faults.Tests;

/// <summary>
/// The embedded store remembers event ids for its dedup horizon only: a real <c>overlap serve</c> with a one-second
/// horizon takes a batch, then the same ids again (with other scores and labels) after the horizon, so every id is
/// stored twice. The counts and the export still show each event once, as first delivered, and every endpoint and page
/// answers.
/// </summary>
public sealed class RedeliveryBeyondHorizonTests
{
    private static string Batch(int round)
    {
        var lines = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var time = new DateTimeOffset(2026, 11, 20, 8, i, 0, TimeSpan.Zero).ToString(
                "yyyy-MM-dd'T'HH:mm:ss'Z'",
                CultureInfo.InvariantCulture
            );
            // The first delivery scores and labels one way, the late repeat the other way round.
            var score = round == 0 ? (i % 10 + 0.5) / 10 : 1 - (i % 10 + 0.5) / 10;
            var label = (i % 3 == 0) == (round == 0) ? "spam" : "ham";
            foreach (var feature in FaultCorpus.Features)
            {
                var scored = score.ToString(CultureInfo.InvariantCulture);
                lines.Add(
                    $$$"""{"type":"prediction","id":"r{{{i}}}","feature":"{{{feature}}}","time":"{{{time}}}","score":{{{scored}}},"model_version":"v{{{i % 2 + 1}}}","attributes":{"channel":"web"}}"""
                );
                lines.Add(
                    $$"""{"type":"outcome","id":"o{{i}}","feature":"{{feature}}","prediction_id":"r{{i}}","label":"{{label}}","time":"{{time}}"}"""
                );
                lines.Add(
                    $$"""{"type":"feedback","id":"f{{i}}","feature":"{{feature}}","prediction_id":"r{{i}}","kind":"thumbs_down","time":"{{time}}"}"""
                );
            }
        }
        return string.Join('\n', lines);
    }

    private static async Task SendAsync(HttpClient ingest, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
        using var response = await ingest.PostAsync("/v1/events", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<List<string>> ReadAllAsync(HttpClient viewer) =>
        [
            .. await Task.WhenAll(
                FaultCorpus
                    .Features.SelectMany(f =>
                        (string[])
                            [
                                $"/v1/features/{f}/counts",
                                $"/v1/features/{f}/export?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z",
                            ]
                    )
                    .Select(viewer.GetStringAsync)
            ),
        ];

    [Fact]
    public async Task IdsStoredTwice_BeyondTheHorizon_ReadAsOnce_AndEveryReaderAnswers()
    {
        await using var server = await ServerUnderTest.StartAsync("--dedup-horizon", "1s");
        using (var admin = server.Client(server.AdminKey))
        {
            foreach (var feature in FaultCorpus.Features)
            {
                var put = await admin.PutAsync(
                    $"/v1/features/{feature}/contract",
                    new StringContent(FaultCorpus.Contract(feature))
                );
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }
        }
        using var ingest = server.Client(server.IngestKey);
        using var viewer = server.Client(server.ViewerKey);
        await SendAsync(ingest, Batch(0));
        var first = await ReadAllAsync(viewer);
        Assert.Contains("\"predictions\":40", first[0], StringComparison.Ordinal);
        Assert.Contains("\"outcomes\":40", first[0], StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await SendAsync(ingest, Batch(1));
        Assert.Equal(first, await ReadAllAsync(viewer));

        await ReaderSweep.AssertEveryReaderAnswersAsync(server.Address, server.AdminKey, FaultCorpus.Features);
        server.AssertAlive("after every reader was visited");
        Assert.Equal(first, await ReadAllAsync(viewer));

        // The late repeats were stored: each id has two rows, which the readers above counted once.
        await server.KillAsync();
        var connection = new DuckDBConnection($"Data Source={Path.Combine(server.Folder, "overlap.duckdb")}");
        await using (connection)
        {
            await connection.OpenAsync();
            foreach (var table in (string[])["predictions", "outcomes", "feedback"])
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*), count(DISTINCT (feature, id)) FROM {table}";
                using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.Equal((160L, 80L), (reader.GetInt64(0), reader.GetInt64(1)));
            }
        }
    }
}
