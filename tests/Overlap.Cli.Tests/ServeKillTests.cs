using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using DuckDB.NET.Data;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>
/// Durability: a real <c>overlap serve</c> process is killed with SIGKILL in the middle of ingest. After a restart (which
/// loads its ingest log into the store) every event it acknowledged (202) is there, nothing it was never sent is, and
/// delivering everything again stores nothing twice.
/// </summary>
public sealed class ServeKillTests
{
    private const string Feature = "payments-fraud";

    [Fact]
    public async Task Serve_KilledDuringIngest_KeepsEveryAcknowledgedEventExactlyOnce()
    {
        using var folder = new TempFolder();
        var (code, keyLine, _) = await CliRun.RunAsync("keys", "create", "--data", folder.Path, "--role", "admin");
        Assert.Equal(0, code);
        var key = keyLine.Trim();
        var sent = new ConcurrentDictionary<int, string>();
        var acknowledged = new ConcurrentBag<string>();

        var port = ServeProcess.FreePort();
        using (var server = StartServe(folder.Path, port))
        {
            using var client = Client(port, key);
            await ServeProcess.WaitUntilHealthyAsync(client, server);
            var put = await client.PutAsync(
                $"/v1/features/{Feature}/contract",
                new StringContent(await File.ReadAllTextAsync(CliRun.RepoFile("examples/payments-fraud/overlap.yaml")))
            );
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var senders = Enumerable
                .Range(0, 4)
                .Select(s =>
                    Task.Run(async () =>
                    {
                        for (var b = 0; b < 400 && !stop.IsCancellationRequested; b++)
                        {
                            var batch = s * 1000 + b;
                            var ids = Enumerable.Range(0, 100).Select(i => $"s{s}-b{b}-{i}").ToList();
                            sent[batch] = Body(ids);
                            try
                            {
                                var response = await client.PostAsync(
                                    "/v1/events",
                                    new StringContent(sent[batch], Encoding.UTF8, "application/json"),
                                    stop.Token
                                );
                                if (response.StatusCode == HttpStatusCode.Accepted)
                                {
                                    foreach (var id in ids)
                                    {
                                        acknowledged.Add(id);
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
            // Kill once a good share has been acknowledged, while the senders are still going.
            var deadline = Stopwatch.StartNew();
            while (acknowledged.Count < 5_000 && deadline.Elapsed < TimeSpan.FromSeconds(45) && !server.HasExited)
            {
                await Task.Delay(20);
            }
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        Assert.True(acknowledged.Count >= 5_000, $"only {acknowledged.Count} events were acknowledged before the kill");

        // Restart: the server loads what its log acknowledged; counting waits for that, then it is killed again.
        port = ServeProcess.FreePort();
        using (var server = StartServe(folder.Path, port))
        {
            using var client = Client(port, key);
            await ServeProcess.WaitUntilHealthyAsync(client, server);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/features/{Feature}/counts")).StatusCode);
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        var sentIds = sent.Values.SelectMany(IdsOf).ToHashSet();
        var stored = await StoredIdsAsync(folder.Path);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        var storedSet = stored.ToHashSet();
        var lost = acknowledged.Where(id => !storedSet.Contains(id)).ToList();
        Assert.True(
            lost.Count == 0,
            $"{lost.Count} acknowledged events are missing after the restart, e.g. {lost.FirstOrDefault()}"
        );
        var invented = stored.Where(id => !sentIds.Contains(id)).ToList();
        Assert.True(
            invented.Count == 0,
            $"{invented.Count} stored events were never sent, e.g. {invented.FirstOrDefault()}"
        );

        // A client retrying everything after the restart: nothing is stored twice.
        port = ServeProcess.FreePort();
        using (var server = StartServe(folder.Path, port))
        {
            using var client = Client(port, key);
            await ServeProcess.WaitUntilHealthyAsync(client, server);
            foreach (var body in sent.Values)
            {
                var response = await client.PostAsync(
                    "/v1/events",
                    new StringContent(body, Encoding.UTF8, "application/json")
                );
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/features/{Feature}/counts")).StatusCode);
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        var after = await StoredIdsAsync(folder.Path);
        Assert.Equal(sentIds.Count, after.Count);
        Assert.True(after.ToHashSet().SetEquals(sentIds));
    }

    private static string Body(IEnumerable<string> ids) =>
        "["
        + string.Join(
            ',',
            ids.Select(id =>
                $$"""{"type":"prediction","id":"{{id}}","feature":"{{Feature}}","time":"2026-11-23T10:00:00Z","score":0.5}"""
            )
        )
        + "]";

    private static IEnumerable<string> IdsOf(string body) =>
        body.Split("\"id\":\"", StringSplitOptions.None)
            .Skip(1)
            .Select(part => part[..part.IndexOf('"', StringComparison.Ordinal)]);

    private static async Task<List<string>> StoredIdsAsync(string folder)
    {
        await using var connection = new DuckDBConnection($"Data Source={Path.Combine(folder, "overlap.duckdb")}");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM predictions";
        var ids = new List<string>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static Process StartServe(string folder, int port) =>
        ServeProcess.Start(["serve", "--data", folder, "--urls", $"http://127.0.0.1:{port}"]);

    private static HttpClient Client(int port, string key)
    {
        var client = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(20),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
