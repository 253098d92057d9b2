using System.Net;
using System.Text.Json;
using DuckDB.NET.Data;
using Overlap.Events;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>A request the embedded store finds no memory for is the store busy for the moment (503), not a server fault.</summary>
public sealed class StoreBusyTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Counts_DuckDbHasNoMemoryForIt_Answers503Busy_WithRetryAfter_ThenAnswersOnceItHas()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            "/v1/features/payments-fraud/contract",
            new StringContent(
                await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await server
            .Store<IEventSink>()
            .AppendAsync(
                [
                    .. Enumerable
                        .Range(0, 100_000)
                        .Select(i => new PredictionEvent
                        {
                            Id = $"p{i}",
                            Feature = "payments-fraud",
                            Time = Noon,
                            Score = 0.5,
                        }),
                ],
                Noon
            );
        // A connection of the test's own shares the server's database, and its memory limit: the limit is lowered as
        // other heavy reads would hold the memory.
        await using var side = new DuckDBConnection($"Data Source={Path.Combine(server.Folder, "overlap.duckdb")}");
        await side.OpenAsync();
        using var limit = side.CreateCommand();
        limit.CommandText = "SET memory_limit = '256KB'";
        await limit.ExecuteNonQueryAsync();

        // Before, DuckDB's out-of-memory error was a 500 "Something went wrong on the server".
        var busy = await admin.GetAsync("/v1/features/payments-fraud/counts");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), busy.Headers.RetryAfter?.Delta);
        using (var problem = JsonDocument.Parse(await busy.Content.ReadAsStringAsync()))
        {
            Assert.Equal("The store is busy", problem.RootElement.GetProperty("title").GetString());
            Assert.StartsWith(
                "The embedded store ran short of memory for this request",
                problem.RootElement.GetProperty("detail").GetString(),
                StringComparison.Ordinal
            );
            Assert.EndsWith(
                "retry in a few seconds, and do not poll reads of the whole history such as /counts. Nothing in this request was applied.",
                problem.RootElement.GetProperty("detail").GetString(),
                StringComparison.Ordinal
            );
        }

        limit.CommandText = "SET memory_limit = '384MB'";
        await limit.ExecuteNonQueryAsync();
        Assert.Equal(100_000, (await server.CountAsync("payments-fraud")).Predictions);
    }
}
