using DuckDB.NET.Data;
using Overlap.Events;
using Overlap.Storage.DuckDb;

namespace Overlap.Storage.Tests.DuckDb;

/// <summary>
/// The embedded store's one write connection: a failed write leaves nothing open for the next one, and the review
/// queue's routing takes a backlog a page at a time with the same items as in one pass.
/// </summary>
public sealed class WriteConnectionTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-write-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PredictionEvent Prediction(string id, double score) =>
        new()
        {
            Id = id,
            Feature = "spam",
            Time = Noon,
            Score = score,
            Prediction = score >= 0.5 ? "spam" : "ham",
        };

    [Fact]
    public async Task Write_FailingInsideItsTransaction_RollsItBack_AndTheNextWritesWork()
    {
        await using var store = DuckDbStore.Open(_folder);
        await Assert.ThrowsAsync<DuckDBException>(() =>
            store.WriteAsync(
                "BEGIN TRANSACTION; INSERT INTO review_routing VALUES ('spam', 5); SELECT error('fails midway'); COMMIT;",
                CancellationToken.None
            )
        );

        // Before, the aborted transaction stayed open on the connection and every later write failed with it.
        Assert.Equal(new AppendResult(1, 0), await store.AppendAsync([Prediction("p1", 0.5)], Noon));
        Assert.Equal(1, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon));
        Assert.Equal(["p1"], (await store.ListReviewItemsAsync("spam", null, 10)).Select(i => i.PredictionId));
    }

    [Fact]
    public async Task Request_DuckDbFindsNoMemoryFor_IsTheStoreUnavailableForNow_AndAnswersOnceItCan()
    {
        await using var store = DuckDbStore.Open(_folder);
        await store.AppendAsync([.. Enumerable.Range(0, 100_000).Select(i => Prediction($"p{i}", 0.5))], Noon);
        // Another connection in the process shares the store's database, and its memory limit (as other work would
        // hold its memory).
        await using var side = new DuckDBConnection($"Data Source={Path.Combine(_folder, DuckDbStore.FileName)}");
        await side.OpenAsync();
        async Task LimitAsync(string limit)
        {
            using var command = side.CreateCommand();
            command.CommandText = $"SET memory_limit = '{limit}'";
            await command.ExecuteNonQueryAsync();
        }
        await LimitAsync("256KB");

        // Before, DuckDB's out-of-memory error reached the server as a fault of its own (500); a read and a write
        // are now the store unavailable for the moment (503 with Retry-After), saying what to do.
        var read = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CountAsync("spam"));
        Assert.StartsWith("the embedded store ran short of memory for this request", read.Message);
        Assert.Contains("retry in a few seconds", read.Message);
        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon)
        );

        await LimitAsync(DuckDbStore.MemoryLimit);
        Assert.Equal(100_000, (await store.CountAsync("spam")).Predictions);
        Assert.Equal(100_000, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon));
    }

    [Fact]
    public async Task RouteForReview_BacklogOfSeveralPages_RoutesWhatOnePassRoutes_Once()
    {
        // 12 predictions received at one time (more than a page of 5: a page of its own), then 9 loads of 2.
        var first = Enumerable.Range(0, 12).Select(i => Prediction($"a{i:D2}", i % 3 == 0 ? 0.5 : 0.9)).ToArray();
        var later = Enumerable
            .Range(0, 9)
            .Select(i => (FeatureEvent[])[Prediction($"b{i}x", i % 2 == 0 ? 0.45 : 0.1), Prediction($"b{i}y", 0.55)])
            .ToArray();
        var routed = new List<string[]>();
        foreach (var pageRows in (int[])[5, 100_000])
        {
            var folder = Path.Combine(_folder, pageRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            await using var store = DuckDbStore.Open(folder);
            store.RoutePageRows = pageRows;
            await store.AppendAsync(first, Noon);
            for (var i = 0; i < later.Length; i++)
            {
                await store.AppendAsync(later[i], Noon.AddSeconds(i + 1));
            }

            // In the band [0.4, 0.6]: a00, a03, a06, a09, b0x, b2x, b4x, b6x, b8x and every b?y; none sampled.
            Assert.Equal(18, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon.AddMinutes(1)));
            Assert.Equal(0, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon.AddMinutes(2)));
            await store.AppendAsync([Prediction("c1", 0.5), Prediction("a00", 0.5)], Noon.AddDays(10));
            // c1 is new; a00 again (a delivery beyond the dedup horizon) is already an item.
            Assert.Equal(1, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon.AddDays(10)));
            routed.Add([
                .. (await store.ListReviewItemsAsync("spam", null, 100))
                    .Select(i => i.PredictionId)
                    .Order(StringComparer.Ordinal),
            ]);
        }
        Assert.Equal(routed[1], routed[0]);
        Assert.Equal(19, routed[0].Length);
    }
}
