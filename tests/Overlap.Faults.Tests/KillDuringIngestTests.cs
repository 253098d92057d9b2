using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DuckDB.NET.Data;
using Overlap.Storage;

namespace Overlap.Faults.Tests;

/// <summary>
/// The fault half: fuzzed batches for two features that share ids go in from four clients while the process is killed
/// with SIGKILL, twice. After a restart every acknowledged (feature, id) is in the store exactly once, nothing refused or
/// never sent is, and every reader answers.
/// </summary>
public sealed class KillDuringIngestTests
{
    [Fact]
    public async Task SigkillDuringFuzzedIngest_KeepsEveryAcknowledgedEventExactlyOnce()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using (var admin = server.Client(server.AdminKey))
        {
            foreach (var feature in FaultCorpus.Features)
            {
                Assert.Equal(
                    HttpStatusCode.Created,
                    (
                        await admin.PutAsync(
                            $"/v1/features/{feature}/contract",
                            new StringContent(FaultCorpus.Contract(feature))
                        )
                    ).StatusCode
                );
            }
        }
        var acknowledged = new ConcurrentDictionary<(string, string), byte>();
        var sentGood = new ConcurrentDictionary<(string, string), byte>();
        for (var round = 0; round < 2; round++)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var senders = Enumerable
                .Range(0, 4)
                .Select(w =>
                    Task.Run(async () =>
                    {
                        var corpus = new FaultCorpus(seed: 7000 + (round * 10) + w);
                        using var ingest = server.Client(server.IngestKey);
                        while (!stop.IsCancellationRequested)
                        {
                            var batch = corpus.Next(100);
                            foreach (var line in batch.Lines.Where(l => l.Refused is null))
                            {
                                sentGood.TryAdd((line.Feature!, line.Id!), 0);
                            }
                            using var content = new ByteArrayContent(batch.Body);
                            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                            try
                            {
                                using var response = await ingest.PostAsync("/v1/events", content, stop.Token);
                                if (response.StatusCode != HttpStatusCode.Accepted)
                                {
                                    continue;
                                }
                                using var json = JsonDocument.Parse(
                                    await response.Content.ReadAsStringAsync(stop.Token)
                                );
                                var refused = json
                                    .RootElement.GetProperty("rejected")
                                    .EnumerateArray()
                                    .Select(r => r.GetProperty("index").GetInt32())
                                    .ToHashSet();
                                for (var i = 0; i < batch.Lines.Count; i++)
                                {
                                    if (!refused.Contains(i) && batch.Lines[i] is { Feature: { } f, Id: { } id })
                                    {
                                        acknowledged.TryAdd((f, id), 0);
                                    }
                                }
                            }
                            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                            {
                                return;
                            }
                        }
                    })
                )
                .ToArray();
            var waited = Stopwatch.StartNew();
            var target = (round + 1) * 1500;
            while (acknowledged.Count < target && waited.Elapsed < TimeSpan.FromSeconds(60) && !server.HasExited)
            {
                await Task.Delay(20);
            }
            server.AssertAlive($"before the kill of round {round}");
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            Assert.True(
                acknowledged.Count >= target,
                $"only {acknowledged.Count} events were acknowledged by round {round}"
            );
            await server.RestartAsync();
        }

        using (var viewer = server.Client(server.ViewerKey))
        {
            // A count waits until the log is loaded into the store.
            Assert.Equal(
                HttpStatusCode.OK,
                (await viewer.GetAsync($"/v1/features/{FaultCorpus.Features[0]}/counts")).StatusCode
            );
        }
        await ReaderSweep.AssertEveryReaderAnswersAsync(server.Address, server.AdminKey, FaultCorpus.Features);
        await server.KillAsync();

        var stored = await StoredAsync(server.Folder);
        var duplicates = stored.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(
            duplicates.Count == 0,
            $"{duplicates.Count} events are stored twice, e.g. {duplicates.FirstOrDefault()}"
        );
        var storedSet = stored.ToHashSet();
        var lost = acknowledged.Keys.Where(k => !storedSet.Contains(k)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged events are missing, e.g. {lost.FirstOrDefault()}");
        var invented = stored.Where(k => !sentGood.ContainsKey(k)).ToList();
        Assert.True(
            invented.Count == 0,
            $"{invented.Count} stored events were refused or never sent, e.g. {invented.FirstOrDefault()}"
        );
        Assert.Contains(stored, k => k.Item1 == "alpha" && storedSet.Contains(("beta", k.Item2)));
    }

    private static async Task<List<(string, string)>> StoredAsync(string folder)
    {
        await using var connection = new DuckDBConnection($"Data Source={Path.Combine(folder, "overlap.duckdb")}");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT feature, id FROM predictions";
        var keys = new List<(string, string)>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add((reader.GetString(0), reader.GetString(1)));
        }
        return keys;
    }
}
