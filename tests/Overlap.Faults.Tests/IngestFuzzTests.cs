using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Overlap.Faults.Tests;

/// <summary>
/// The fuzz half of the suite: a real <c>overlap serve</c> process takes seeded batches of good and malformed events
/// from four clients at once. Every answer is a 2xx or 4xx; each bad event is refused by its index and only it; every
/// good event acknowledged is stored exactly once for its feature (the same id for two features is two events);
/// the process stays up, and afterwards every endpoint and page answers.
/// </summary>
public sealed class IngestFuzzTests
{
    private const int Workers = 4;
    private const int BatchesPerWorker = 40;

    [Fact]
    public async Task FuzzedBatches_AreAnsweredPerEvent_StoredOnce_AndLeaveEveryReaderAnswering()
    {
        await using var server = await ServerUnderTest.StartAsync();
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
        var acknowledged = new ConcurrentDictionary<(string Feature, string Id), byte>();
        var failures = new ConcurrentQueue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var workers = Enumerable
            .Range(0, Workers)
            .Select(w =>
                Task.Run(async () =>
                {
                    var corpus = new FaultCorpus(seed: 1200 + w);
                    var random = new Random(w);
                    using var ingest = server.Client(server.IngestKey);
                    for (var b = 0; b < BatchesPerWorker && !deadline.IsCancellationRequested; b++)
                    {
                        var batch = corpus.Next(random.Next(1, 60));
                        var (status, body) = await SendAsync(ingest, batch, deadline.Token);
                        var problem = Judge(batch, status, body, acknowledged);
                        if (problem is not null)
                        {
                            failures.Enqueue($"worker {w} batch {b}: {problem}");
                        }
                    }
                })
            )
            .ToArray();
        await Task.WhenAll(workers);
        server.AssertAlive("during the fuzzed ingest");
        Assert.False(deadline.IsCancellationRequested, "the fuzzed ingest did not finish within 3 minutes");
        Assert.True(failures.IsEmpty, string.Join('\n', failures.Take(20)));

        using var viewer = server.Client(server.ViewerKey);
        foreach (var feature in FaultCorpus.Features)
        {
            using var counts = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{feature}/counts"));
            var expected = acknowledged.Keys.Count(k => k.Feature == feature);
            Assert.True(
                expected > 100,
                $"only {expected} good events reached {feature}: the corpus is too bad to test storage"
            );
            Assert.Equal(expected, counts.RootElement.GetProperty("predictions").GetInt64());
        }
        await ReaderSweep.AssertEveryReaderAnswersAsync(server.Address, server.AdminKey, FaultCorpus.Features);
        server.AssertAlive("after every reader was visited");
    }

    /// <summary>Sends a batch, waiting out 429s (nothing from a refused batch was kept, so it is sent again).</summary>
    private static async Task<(HttpStatusCode, string)> SendAsync(
        HttpClient client,
        FuzzBatch batch,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 0; ; attempt++)
        {
            using var content = new ByteArrayContent(batch.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(
                batch.Array ? "application/json" : "application/x-ndjson"
            );
            using var response = await client.PostAsync("/v1/events", content, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= 50)
            {
                return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }
            await Task.Delay(
                TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1),
                cancellationToken
            );
        }
    }

    /// <summary>What is wrong with the answer to <paramref name="batch"/>, or null; records what it acknowledged.</summary>
    private static string? Judge(
        FuzzBatch batch,
        HttpStatusCode status,
        string body,
        ConcurrentDictionary<(string, string), byte> acknowledged
    )
    {
        if ((int)status >= 500)
        {
            return $"answered {(int)status} to {Describe(batch)}: {body}";
        }
        if (batch.WholeBody is not null)
        {
            return status == HttpStatusCode.BadRequest ? null : $"answered {(int)status} to {batch.WholeBody}, not 400";
        }
        if (status is not (HttpStatusCode.Accepted or HttpStatusCode.BadRequest))
        {
            return $"answered {(int)status} to {Describe(batch)}: {body}";
        }
        using var json = JsonDocument.Parse(body);
        if (!json.RootElement.TryGetProperty("rejected", out var rejectedList))
        {
            return $"answered {(int)status} without a per-event answer to {Describe(batch)}: {body}";
        }
        var rejected = new Dictionary<int, string>();
        foreach (var r in rejectedList.EnumerateArray())
        {
            var error = r.GetProperty("error").GetString() ?? "";
            if (error.Length == 0 || error.Contains("Exception", StringComparison.Ordinal))
            {
                return $"event {r.GetProperty("index").GetInt32()} was refused without a reason a person can read: '{error}'";
            }
            rejected[r.GetProperty("index").GetInt32()] = error;
        }
        var wrong = new List<string>();
        for (var i = 0; i < batch.Lines.Count; i++)
        {
            var line = batch.Lines[i];
            if (line.Refused is not null && !rejected.ContainsKey(i))
            {
                wrong.Add($"event {i} ({line.Refused}) was kept");
            }
            else if (line.Refused is null && rejected.TryGetValue(i, out var error))
            {
                wrong.Add($"good event {i} ({line.Feature}/{line.Id}) was refused: {error}");
            }
        }
        if (wrong.Count > 0)
        {
            return string.Join("; ", wrong);
        }
        if (status == HttpStatusCode.Accepted)
        {
            foreach (var line in batch.Lines.Where(l => l.Refused is null))
            {
                acknowledged.TryAdd((line.Feature!, line.Id!), 0);
            }
        }
        else if (batch.Lines.Any(l => l.Refused is null))
        {
            return $"answered 400 to a batch with good events: {body}";
        }
        return null;
    }

    private static string Describe(FuzzBatch batch) =>
        $"a {(batch.Array ? "JSON array" : "NDJSON")} batch of {batch.Lines.Count} ({string.Join(", ", batch.Lines.Where(l => l.Refused is not null).Select(l => l.Refused).Distinct())})";
}
