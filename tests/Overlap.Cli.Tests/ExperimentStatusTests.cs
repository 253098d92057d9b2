using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Server;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>
/// <c>overlap experiment status</c> against a real server: it prints the decision in words and exits as <c>gate</c>
/// does (0 roll out, 1 roll back, 2 keep running), and refuses in one line what it cannot ask.
/// </summary>
public sealed class ExperimentStatusTests
{
    private const string Contract = """
        feature: spam-filter
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: is_spam, score: p_spam }
        experiments:
          - name: better
            control: nb@1
            treatment: nb@2
            primary: [{ metric: recall, min_effect: 0.03 }]
            guardrails: [{ metric: latency_p95_ms, margin: 50 }]
          - name: slower
            control: nb@1
            treatment: nb@3
            primary: [{ metric: recall, min_effect: 0.03 }]
            guardrails: [{ metric: latency_p95_ms, margin: 50 }]
          - name: fresh
            control: nb@1
            treatment: nb@2
            primary: [{ metric: false_positive_rate, min_effect: 0.01 }]
          - name: unserved
            control: nb@1
            treatment: nb@4
            primary: [{ metric: recall, min_effect: 0.03 }]
        """;

    /// <summary>
    /// 600 emails per version, a third spam: nb@1 catches 160 of 200 spam, nb@2 and nb@3 catch 196, nb@3 answers
    /// 200 ms later; each flags 20 of 400 legitimate emails. nb@4 gets nothing. Experiment 'fresh' waits on a false-positive rate both versions share.
    /// </summary>
    private static string Traffic(DateTimeOffset time)
    {
        var emails = new List<ExperimentMail.Email>();
        foreach (var (version, caught, slower) in new[] { ("nb@1", 160, 0), ("nb@2", 196, 0), ("nb@3", 196, 200) })
        {
            for (var i = 0; i < 600; i++)
            {
                var spam = i < 200;
                var flagged = spam ? i < caught : i < 220;
                emails.Add(
                    new ExperimentMail.Email($"{version}-{i}", time, version, spam, flagged, 80 + (i % 40) + slower)
                );
            }
        }
        return ExperimentMail.Ndjson("spam-filter", emails, TimeSpan.Zero);
    }

    [Fact]
    public async Task Status_ExitsAsGateDoes_AndSaysWhy()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        var keys = new Dictionary<string, string>();
        foreach (var role in new[] { "admin", "ingest", "viewer" })
        {
            var (code, key, err) = await CliRun.RunAsync("keys", "create", "--data", data, "--role", role);
            Assert.True(code == 0, err);
            keys[role] = key.Trim();
        }
        var app = await OverlapServer.BuildAsync(new ServerOptions { DataFolder = data, Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        try
        {
            var address = OverlapServer.Addresses(app)[0];
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keys["admin"]);
            var put = await client.PutAsync("/v1/features/spam-filter/contract", new StringContent(Contract));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            // The traffic comes after the experiments started (when the contract was stored).
            await Task.Delay(50);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keys["ingest"]);
            var body = new StringContent(Traffic(TimeProvider.System.GetUtcNow()), Encoding.UTF8);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            var posted = await client.PostAsync("/v1/events", body);
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            await Task.Delay(50);

            string[] Ask(string experiment, params string[] more) =>
                ["experiment", "status", experiment, "--server", address, "--key", keys["viewer"], .. more];
            var (rollout, said, _) = await CliRun.RunAsync(Ask("better"));
            Assert.Equal(0, rollout);
            Assert.StartsWith(
                "better: rollout\nRoll out nb@2: recall is ",
                said.ReplaceLineEndings("\n"),
                StringComparison.Ordinal
            );
            var (rollback, back, _) = await CliRun.RunAsync(Ask("slower"));
            Assert.Equal(1, rollback);
            Assert.Contains("beyond the 50 ms guardrail; keep nb@1.", back, StringComparison.Ordinal);
            var (running, keep, _) = await CliRun.RunAsync(Ask("fresh"));
            Assert.Equal(2, running);
            Assert.Contains("fresh: running", keep, StringComparison.Ordinal);
            Assert.Equal(0, (await CliRun.RunAsync(Ask("fresh", "--running", "pass"))).Code);
            // No email reached nb@4: the split check stops the experiment, which a pipeline treats as a roll back.
            var (stop, stopped, _) = await CliRun.RunAsync(Ask("unserved"));
            Assert.Equal(1, stop);
            Assert.Contains(
                "unserved: stop\nStop: the split is 100/0 where 50/50 was planned",
                stopped.ReplaceLineEndings("\n"),
                StringComparison.Ordinal
            );
            var (_, json, _) = await CliRun.RunAsync(Ask("slower", "--format", "json"));
            Assert.Equal("rollback", JsonDocument.Parse(json).RootElement.GetProperty("decision").GetString());

            var (unknown, _, unknownErr) = await CliRun.RunAsync(Ask("nope"));
            Assert.Equal(66, unknown);
            CliRun.AssertOneLineError(unknownErr, "no contract declares an experiment named 'nope'");
            var (ingestOnly, _, ingestErr) = await CliRun.RunAsync(
                "experiment",
                "status",
                "better",
                "--server",
                address,
                "--key",
                keys["ingest"]
            );
            Assert.Equal(64, ingestOnly);
            CliRun.AssertOneLineError(ingestErr, "viewer role");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Status_WithoutAServerOrKey_OrWithAServerThatIsGone_SaysWhatToDo()
    {
        var (noServer, _, noServerErr) = await CliRun.RunAsync("experiment", "status", "better", "--key", "k");
        Assert.Equal(64, noServer);
        CliRun.AssertOneLineError(noServerErr, "--server http://127.0.0.1:5080", "OVERLAP_SERVER");
        var (noKey, _, noKeyErr) = await CliRun.RunAsync(
            "experiment",
            "status",
            "better",
            "--server",
            "http://127.0.0.1:9"
        );
        Assert.Equal(64, noKey);
        CliRun.AssertOneLineError(noKeyErr, "--key KEY", "OVERLAP_KEY");
        var (gone, _, goneErr) = await CliRun.RunAsync(
            "experiment",
            "status",
            "better",
            "--server",
            "http://127.0.0.1:9",
            "--key",
            "k"
        );
        Assert.Equal(69, gone);
        CliRun.AssertOneLineError(goneErr, "could not reach http://127.0.0.1:9/");
        var (bad, _, badErr) = await CliRun.RunAsync(
            "experiment",
            "status",
            "better",
            "--server",
            "ftp://x",
            "--key",
            "k"
        );
        Assert.Equal(64, bad);
        CliRun.AssertOneLineError(badErr, "http or https address");
    }
}
