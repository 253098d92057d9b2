using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Overlap.Storage.Tests.ClickHouse;
using Overlap.Tests.Shared;

namespace Overlap.Storage.Tests.Server;

/// <summary>
/// <c>scripts/trial-cluster.sh</c> as an operator runs it: the whole topology (PostgreSQL, two ClickHouse shards with
/// ZooKeeper, two <c>overlap serve</c>) starts, events posted through one instance are read through the other, a
/// person's events erased through the other are gone from both shards' replicas, and <c>stop</c> leaves nothing
/// running. In the ClickHouse collection so it never shares the two cores with those tests.
/// </summary>
[Collection(ClickHouseCluster.Name)]
public sealed class TrialClusterTests
{
    private static readonly string Script = RepositoryRoot.File("scripts/trial-cluster.sh");

    [Fact]
    public async Task TwoInstancesShareOneStoreAndStopLeavesNothingRunning()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"overlap-trial-test-{Guid.NewGuid():N}");
        Dictionary<string, string> trial;
        try
        {
            trial = Settings(await RunAsync("start", dir, "--instances", "2"));
            Assert.Equal("2", trial["OVERLAP_TRIAL_INSTANCES"].Split(',').Length.ToString(Culture));
            using var first = Client(trial["OVERLAP_TRIAL_INSTANCE_1"], trial["OVERLAP_TRIAL_KEY"]);
            using var second = Client(trial["OVERLAP_TRIAL_INSTANCE_2"], trial["OVERLAP_TRIAL_KEY"]);
            Assert.NotEqual(first.BaseAddress, second.BaseAddress);
            var contract =
                await File.ReadAllTextAsync(RepositoryRoot.File("examples/payments-fraud/overlap.yaml"))
                + "\nprivacy:\n  subject: user_id\n";
            // The contract goes through the second instance and the events through the first: the first reads the
            // contract from PostgreSQL when the events name its feature.
            using (
                var put = await second.PutAsync(
                    new Uri("/v1/features/payments-fraud/contract", UriKind.Relative),
                    new StringContent(contract)
                )
            )
            {
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            }
            var events = new StringBuilder();
            for (var i = 0; i < 40; i++)
            {
                events
                    .Append(Culture, $"{{\"type\":\"prediction\",\"id\":\"t{i}\",\"feature\":\"payments-fraud\",")
                    .Append(Culture, $"\"time\":\"2026-12-01T10:{i:00}:00Z\",\"score\":{i / 40.0},")
                    .Append(Culture, $"\"attributes\":{{\"user_id\":\"u{i % 4}\"}}}}\n");
            }
            for (var i = 0; i < 10; i++)
            {
                events
                    .Append(Culture, $$"""{"type":"outcome","id":"o{{i}}","prediction_id":"t{{i}}",""")
                    .Append("\"label\":\"fraud\",\"time\":\"2026-12-02T00:00:00Z\"}\n");
            }
            using var body = new StringContent(events.ToString(), Encoding.UTF8);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var posted = await first.PostAsync(new Uri("/v1/events", UriKind.Relative), body);
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            Assert.Contains("\"accepted\":50", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Acknowledged means in the first instance's ingest log; its loader moves it into ClickHouse, where the
            // second instance reads it. The loader may move the predictions and the outcomes in separate loads, so
            // the wait is for all of them.
            static bool All(JsonElement c) =>
                c.GetProperty("predictions").GetInt64() == 40
                && c.GetProperty("outcomes").GetInt64() == 10
                && c.GetProperty("labelled").GetInt64() == 10;
            var counts = await EventuallyAsync(second, All);
            Assert.Equal((40, 10, 10), Counts(counts));
            var again = await EventuallyAsync(first, All);
            Assert.Equal(counts.ToString(), again.ToString());

            // u1's ten predictions (t1, t5, …, t37) and the outcomes of t1, t5 and t9, erased through the second
            // instance: its --clickhouse names a server of each shard, so the erasure reaches both.
            using var erased = await second.DeleteAsync(new Uri("/v1/subjects/u1", UriKind.Relative));
            var receipt = await erased.Content.ReadAsStringAsync();
            Assert.True(erased.IsSuccessStatusCode, receipt);
            using var answer = JsonDocument.Parse(receipt);
            Assert.Equal(
                (10, 3),
                (
                    answer.RootElement.GetProperty("predictions").GetInt32(),
                    answer.RootElement.GetProperty("outcomes").GetInt32()
                )
            );
            Assert.Equal((30, 7, 7), Counts(await EventuallyAsync(first, c => Counts(c) == (30, 7, 7))));
        }
        finally
        {
            await RunAsync("stop", dir);
        }
        Assert.False(Directory.Exists(dir));
        foreach (var pid in trial.Where(s => s.Key.StartsWith("OVERLAP_TRIAL_PID_", StringComparison.Ordinal)))
        {
            Assert.False(Alive(int.Parse(pid.Value, Culture)), $"instance {pid.Key} is still running");
        }
        foreach (
            var address in (string[])
                [
                    trial["OVERLAP_TRIAL_INSTANCE_1"],
                    trial["OVERLAP_TRIAL_INSTANCE_2"],
                    trial["OVERLAP_TRIAL_CLICKHOUSE"],
                    trial["OVERLAP_TRIAL_CLICKHOUSE_SHARD2"],
                    "http://127.0.0.1:"
                        + trial["OVERLAP_TRIAL_POSTGRES"]
                            .Split(';')
                            .Single(p => p.StartsWith("Port=", StringComparison.Ordinal))[5..],
                ]
        )
        {
            var uri = new Uri(address);
            using var socket = new TcpClient();
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(uri.Host, uri.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    private static IFormatProvider Culture => System.Globalization.CultureInfo.InvariantCulture;

    private static HttpClient Client(string address, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The feature's counts once <paramref name="done"/> holds (within 60 s), read through
    /// <paramref name="client"/>.</summary>
    private static (long, long, long) Counts(JsonElement c) =>
        (
            c.GetProperty("predictions").GetInt64(),
            c.GetProperty("outcomes").GetInt64(),
            c.GetProperty("labelled").GetInt64()
        );

    private static async Task<JsonElement> EventuallyAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/v1/features/payments-fraud/counts", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(
                response.IsSuccessStatusCode,
                $"{client.BaseAddress} answered {(int)response.StatusCode}: {text}"
            );
            var counts = JsonDocument.Parse(text).RootElement.Clone();
            if (done(counts) || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                return counts;
            }
            await Task.Delay(250);
        }
    }

    private static Dictionary<string, string> Settings(string output) =>
        output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].StartsWith("OVERLAP_TRIAL_", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Runs the script; a failure fails the test with its error output.</summary>
    private static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(
            process.ExitCode == 0,
            $"trial-cluster.sh {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}"
        );
        return await output;
    }
}
