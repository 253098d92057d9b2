using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Overlap.Cluster.Tests;

/// <summary>
/// Exactly once across instances: senders stream batches to A and B (a share of them sent to both, as a client's retry
/// would), one instance is killed with SIGKILL mid-stream and started again on the same data folder. Every event it
/// acknowledged is then in ClickHouse exactly once (counted with FINAL, and no id twice), nothing is there that was
/// never sent, and sending everything again adds nothing.
/// </summary>
public sealed class KillTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task AnInstanceKilledDuringIngest_LosesAndDuplicatesNothing(int killed)
    {
        await using var both = await TwoInstances.StartAsync();
        using (var a = both.Client(0))
        {
            await Traffic.PutContractAsync(a);
        }
        var sent = new ConcurrentDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var acknowledged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var clients = new[] { both.Client(0), both.Client(1) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var senders = Enumerable
            .Range(0, 4)
            .Select(s =>
                Task.Run(async () =>
                {
                    for (var b = 0; b < 300 && !stop.IsCancellationRequested; b++)
                    {
                        var ids = Enumerable.Range(0, 100).Select(i => $"s{s}-b{b}-{i}").ToList();
                        var events = ids.Select((id, i) => Traffic.Prediction(i + b, id)).ToList();
                        sent[$"{s}-{b}"] = events;
                        // Sender s sends to instance s % 2, and every fifth batch again to the other one (a retry).
                        var targets = b % 5 == 0 ? new[] { s % 2, 1 - s % 2 } : [s % 2];
                        foreach (var target in targets)
                        {
                            try
                            {
                                var response = await Traffic.PostAsync(clients[target], events, stop.Token);
                                if (response.StatusCode == HttpStatusCode.Accepted)
                                {
                                    ids.ForEach(id => acknowledged[id] = true);
                                }
                            }
                            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                            {
                                if (stop.IsCancellationRequested || target == s % 2 && target == killed)
                                {
                                    return;
                                }
                            }
                        }
                    }
                })
            )
            .ToArray();
        var waited = Stopwatch.StartNew();
        while (acknowledged.Count < 4_000 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }
        await both.KillAsync(killed);
        var atKill = acknowledged.Count;
        // The other instance keeps taking events for a moment, then the senders stop.
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        Assert.True(atKill >= 4_000, $"only {atKill} events were acknowledged before the kill");

        // Started again on the same data folder, it loads what its log acknowledged; counting waits for that.
        await both.StartAsync(killed);
        await CountsAsync(both);
        var sentIds = sent.Values.SelectMany(Ids).ToHashSet(StringComparer.Ordinal);
        var stored = await StoredAsync(both);
        var lost = acknowledged.Keys.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged events are not stored, e.g. {lost.FirstOrDefault()}");
        var invented = stored.Where(id => !sentIds.Contains(id)).ToList();
        Assert.True(
            invented.Count == 0,
            $"{invented.Count} stored events were never sent, e.g. {invented.FirstOrDefault()}"
        );

        // A client sending everything again, half through each instance: each event is stored once.
        var again = 0;
        foreach (var events in sent.Values)
        {
            var response = await Traffic.PostAsync(clients[again++ % 2], events);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await CountsAsync(both);
        var after = await StoredAsync(both);
        Assert.True(after.SetEquals(sentIds), $"{after.Count} distinct ids stored, {sentIds.Count} sent");
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    /// <summary>Asks both instances for the counts (each waits until its own log is loaded); the counts agree.</summary>
    private static async Task CountsAsync(TwoInstances both)
    {
        var answers = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var client = both.Client(i);
            var response = await client.GetAsync($"/v1/features/{Traffic.Feature}/counts");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }
        using (var again = both.Client(0))
        {
            answers[0] = await (
                await again.GetAsync($"/v1/features/{Traffic.Feature}/counts")
            ).Content.ReadAsStringAsync();
        }
        Assert.Equal(answers[0], answers[1]);
    }

    /// <summary>
    /// The ids stored, as ClickHouse has them with FINAL; fails when an id is there twice or the FINAL count is not the
    /// number of distinct ids.
    /// </summary>
    private static async Task<HashSet<string>> StoredAsync(TwoInstances both)
    {
        const string Where = $"WHERE feature = '{Traffic.Feature}'";
        var twice = await both.ClickHouseAsync(
            $"SELECT id, count() AS c FROM `{{db}}`.predictions FINAL {Where} GROUP BY id HAVING c > 1 LIMIT 5"
        );
        Assert.True(twice.Length == 0, $"ids stored more than once: {twice}");
        var count = long.Parse(
            await both.ClickHouseAsync($"SELECT count() FROM `{{db}}`.predictions FINAL {Where}"),
            System.Globalization.CultureInfo.InvariantCulture
        );
        var ids = (await both.ClickHouseAsync($"SELECT id FROM `{{db}}`.predictions FINAL {Where}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ids.Count, count);
        return ids;
    }

    private static IEnumerable<string> Ids(IReadOnlyList<string> events) =>
        events.Select(e =>
        {
            var start = e.IndexOf("\"id\":\"", StringComparison.Ordinal) + 6;
            return e[start..e.IndexOf('"', start)];
        });
}
