using System.Globalization;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.Tests.ClickHouse;

public sealed partial class ClickHouseStoreTests
{
    [Fact]
    public async Task PredictionsAfter_ReadOnlyThePartsWrittenSinceThePosition()
    {
        // The review queue pages through what was received since its position every 5 s. received_us is not in the
        // table's order, so each page read that column of every stored prediction: at 300,000,000 ClickHouse read the
        // month's receipt times back to back (bench/README, seventh attempt). Only a part written since the position
        // (less the clocks' skew) can hold a prediction received after it, and the read now names those parts. Here
        // 200,000 predictions are written, then 10 more received later, in a part of their own: a page of what came
        // after the position reads the 10, not the 200,000.
        var store = await LoggedInstanceAsync();
        store.ClockSkew = TimeSpan.Zero;
        var old = UnixMicroseconds.From(Noon).ToString(CultureInfo.InvariantCulture);
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"INSERT INTO `{_database}`.`predictions` (feature, id, time_us, received_us, score) "
                + $"SELECT 'fraud', concat('old', toString(number)), {old}, {old}, 0.5 FROM numbers(200000)"
        );
        // Shard 1's second replica stamps the part when it fetches it: wait for that. Parts are stamped to the second:
        // the position is taken in a later second than the old rows' part (and a later month keeps the new rows' part
        // from being merged with it).
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Replica,
            $"SYSTEM SYNC REPLICA `{_database}`.`predictions_local`"
        );
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var position = TimeProvider.System.GetUtcNow();
        var later = UnixMicroseconds.From(position.AddSeconds(1)).ToString(CultureInfo.InvariantCulture);
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"INSERT INTO `{_database}`.`predictions` (feature, id, time_us, received_us, score) "
                + $"SELECT 'fraud', concat('new', toString(number)), {later}, {later}, 0.9 FROM numbers(10)"
        );

        var page = await store.PredictionsAfterAsync("fraud", ReceivedPosition.Before(position), 1000);

        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"new{i}")], page.Select(p => p.Id).Order());
        await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard1, "SYSTEM FLUSH LOGS");
        var read = await ClickHouseServers.CountAsync(
            ClickHouseServers.Shard1,
            "SELECT sum(read_rows) FROM system.query_log WHERE type = 2 AND is_initial_query AND user = 'logged' "
                + $"AND position(query, '{_database}') > 0 AND position(query, 'received_us') > 0"
        );
        Assert.InRange(read, 10, 10_000);
        // From the start, every part is read and every prediction comes back, a page at a time.
        Assert.Equal(1000, (await store.PredictionsAfterAsync("fraud", ReceivedPosition.Start, 1000)).Count);
    }
}
