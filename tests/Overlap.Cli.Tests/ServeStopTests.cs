using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>
/// A real <c>overlap serve</c> process: SIGTERM drains and exits 0 with every acknowledged event stored; a contract nested
/// 100,000 deep is a 400 and the process stays up (it overflowed the parser's stack and killed the process).
/// </summary>
public sealed class ServeStopTests
{
    [Fact]
    public async Task Serve_Sigterm_DrainsAndExits0()
    {
        using var folder = new TempFolder();
        var key = await AdminKeyAsync(folder.Path);
        var port = ServeProcess.FreePort();
        var acknowledged = 0;
        using (var server = ServeProcess.Start(["serve", "--data", folder.Path, "--urls", $"http://127.0.0.1:{port}"]))
        {
            using var client = Client(port, key);
            await ServeProcess.WaitUntilHealthyAsync(client, server);
            await PutContractAsync(client);
            for (var b = 0; b < 20; b++)
            {
                var body = string.Concat(
                    Enumerable
                        .Range(0, 500)
                        .Select(i =>
                            $$"""{"type":"prediction","id":"b{{b}}-{{i}}","feature":"payments-fraud","time":"2026-03-01T00:00:00Z","score":0.5}"""
                            + "\n"
                        )
                );
                var response = await client.PostAsync(
                    "/v1/events",
                    new StringContent(body, Encoding.UTF8, "application/x-ndjson")
                );
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                acknowledged += 500;
            }
            using var kill = Process.Start(
                "kill",
                ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            );
            await kill.WaitForExitAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(limit.Token);
            Assert.Equal(0, server.ExitCode);
        }
        // A clean stop leaves the log loaded: every acknowledged event is in the store, once.
        port = ServeProcess.FreePort();
        using (var server = ServeProcess.Start(["serve", "--data", folder.Path, "--urls", $"http://127.0.0.1:{port}"]))
        {
            using var client = Client(port, key);
            await ServeProcess.WaitUntilHealthyAsync(client, server);
            using var counts = System.Text.Json.JsonDocument.Parse(
                await client.GetStringAsync("/v1/features/payments-fraud/counts")
            );
            Assert.Equal(acknowledged, counts.RootElement.GetProperty("predictions").GetInt64());
            server.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Serve_ContractNested100000Deep_Answers400AndStaysUp()
    {
        using var folder = new TempFolder();
        var key = await AdminKeyAsync(folder.Path);
        var port = ServeProcess.FreePort();
        using var server = ServeProcess.Start(["serve", "--data", folder.Path, "--urls", $"http://127.0.0.1:{port}"]);
        try
        {
            using var client = Client(port, key);
            await ServeProcess.WaitUntilHealthyAsync(client, server);
            var deep = "feature: x\nnest: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
            var response = await client.PutAsync("/v1/features/x/contract", new StringContent(deep));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(
                "nested more than 64 levels deep",
                await response.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
            var json = "[" + string.Concat(Enumerable.Repeat("[", 100_000)) + "]";
            var events = await client.PostAsync(
                "/v1/events",
                new StringContent(json, Encoding.UTF8, "application/json")
            );
            Assert.InRange((int)events.StatusCode, 400, 499);
            Assert.False(server.HasExited, "overlap serve exited");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task ContractValidate_Nested100000Deep_Exits65WithTheLine()
    {
        // In a child process, so a regression overflows its stack, not the test host's.
        using var folder = new TempFolder();
        var file = folder.Write("deep.yaml", "feature: x\nnest: " + new string('{', 100_000) + "\n");
        using var process = ServeProcess.Start(["contract", "validate", file]);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        Assert.Equal(65, process.ExitCode);
    }

    private static async Task<string> AdminKeyAsync(string folder)
    {
        var (code, key, _) = await CliRun.RunAsync("keys", "create", "--data", folder, "--role", "admin");
        Assert.Equal(0, code);
        return key.Trim();
    }

    private static async Task PutContractAsync(HttpClient client)
    {
        var put = await client.PutAsync(
            "/v1/features/payments-fraud/contract",
            new StringContent(await File.ReadAllTextAsync(CliRun.RepoFile("examples/payments-fraud/overlap.yaml")))
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private static HttpClient Client(int port, string key)
    {
        var client = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
