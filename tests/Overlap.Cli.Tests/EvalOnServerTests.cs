using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Overlap.Server;

namespace Overlap.Cli.Tests;

/// <summary>A data file evaluated by the server gives exactly the report <c>overlap eval --format json</c> prints for it.</summary>
public sealed class EvalOnServerTests
{
    [Fact]
    public async Task RunOnTheServer_EqualsOverlapEval_ByteForByte()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        var (keyCode, key, _) = await CliRun.RunAsync("keys", "create", "--data", data, "--role", "reviewer");
        Assert.Equal(0, keyCode);
        var (adminCode, admin, _) = await CliRun.RunAsync("keys", "create", "--data", data, "--role", "admin");
        Assert.Equal(0, adminCode);
        var app = await OverlapServer.BuildAsync(new ServerOptions { DataFolder = data, Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        try
        {
            using var client = new HttpClient
            {
                BaseAddress = new Uri(OverlapServer.Addresses(app)[0]),
                Timeout = TimeSpan.FromSeconds(60),
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.Trim());
            var contract = CliRun.RepoFile("examples/payments-fraud/overlap.yaml");
            Assert.Equal(
                HttpStatusCode.Created,
                (
                    await client.PutAsync(
                        "/v1/features/payments-fraud/contract",
                        new StringContent(await File.ReadAllTextAsync(contract))
                    )
                ).StatusCode
            );
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
            var gzipped = Path.Combine(folder.Path, "current.csv.gz");
            await using (var gz = new GZipStream(File.Create(gzipped), CompressionLevel.Fastest))
            {
                await using var source = File.OpenRead(CliRun.RepoFile("examples/payments-fraud/current.csv"));
                await source.CopyToAsync(gz);
            }
            foreach (var file in new[] { CliRun.RepoFile("examples/payments-fraud/scored.csv"), gzipped })
            {
                var (code, printed, err) = await CliRun.RunAsync(
                    "eval",
                    "--contract",
                    contract,
                    "--data",
                    file,
                    "--format",
                    "json"
                );
                Assert.True(code is 0 or 1 or 2, err);
                using var form = new MultipartFormDataContent
                {
                    { new ByteArrayContent(await File.ReadAllBytesAsync(file)), "file", Path.GetFileName(file) },
                };
                var created = await client.PostAsync("/v1/features/payments-fraud/evaluations/run", form);
                Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
                var id = JsonDocument
                    .Parse(await created.Content.ReadAsStringAsync())
                    .RootElement.GetProperty("id")
                    .GetInt64();
                var stored = await client.GetStringAsync($"/v1/features/payments-fraud/evaluations/{id}");
                Assert.Equal(CliRun.WithoutProvenance(printed), CliRun.WithoutProvenance(stored));
                // Both say they read the same file: its name, SHA-256 and rows; the server names its stored contract's version.
                var (cli, server) = (
                    Overlap.Core.Reports.ReportJson.ReadEvaluation(printed)!.Provenance!,
                    Overlap.Core.Reports.ReportJson.ReadEvaluation(stored)!.Provenance!
                );
                Assert.Equal(cli.Data, server.Data);
                Assert.Equal((1, cli.ContractSha256), (server.ContractVersion!.Value, server.ContractSha256));
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
