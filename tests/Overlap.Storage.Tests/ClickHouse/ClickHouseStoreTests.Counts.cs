using System.Globalization;
using Overlap.Core.Timestamps;
using Overlap.Events;
using Overlap.Storage.ClickHouse;

namespace Overlap.Storage.Tests.ClickHouse;

public sealed partial class ClickHouseStoreTests
{
    [Fact]
    public async Task Counts_MadeInPartsByPredictionId_AddUpToTheWholeCount()
    {
        // At 32,000,000 predictions the count in one query passed ClickHouse's 2 GB a query and answered 500; it is
        // made in parts of at most CountPartRows predictions. Here a part holds about 3 of 40.
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        var events = new List<FeatureEvent>();
        for (var i = 0; i < 40; i++)
        {
            events.Add(Prediction($"p{i}", i, i % 4 / 4.0));
            if (i % 3 != 0)
            {
                events.Add(Outcome($"p{i}", i, i % 2 == 0 ? "1" : "0"));
            }
            if (i % 5 == 0)
            {
                // A second label of the same prediction: one more outcome, the same labelled prediction.
                events.Add(Outcome($"p{i}", i + 1000, "1"));
                events.Add(
                    new FeedbackEvent
                    {
                        Id = $"f{i}",
                        PredictionId = $"p{i}",
                        Feature = "fraud",
                        FeedbackKind = FeedbackKinds.ThumbsUp,
                        Time = Noon.AddMinutes(i),
                    }
                );
                events.Add(
                    new BusinessEvent
                    {
                        Id = $"b{i}",
                        PredictionId = $"p{i}",
                        Feature = "fraud",
                        Name = "chargeback",
                        Value = i,
                        Time = Noon.AddMinutes(i),
                    }
                );
            }
        }
        // An outcome of a prediction never stored is not counted, in any part.
        events.Add(Outcome("missing", 0, "1"));
        await store.AppendAsync(events, Noon);
        // 40 predictions; 26 labelled (those not a multiple of 3), and every fifth (p0, p5, …, p35) labelled once more:
        // 26 + 8 = 34 outcomes, over 26 + 3 predictions (p0, p15 and p30 have only that label); 8 feedback, 8 business.
        var whole = new EventCounts(40, 34, 8, 8, 29);

        Assert.Equal(whole, await store.CountAsync("fraud"));
        store.CountPartRows = 3;
        Assert.Equal(whole, await store.CountAsync("fraud"));
        store.CountPartRows = 1;
        Assert.Equal(whole, await store.CountAsync("fraud"));
    }

    [Fact]
    public async Task Counts_ReadEachStoredRowAFewTimes_NotOncePerPart()
    {
        // At 300,000,000 predictions /counts did not finish in 600 s (bench/README, fourth to sixth attempts): it was
        // made in ceil(n / 4,000,000) parts, and each part read every prediction id of the feature again, for its own
        // ids and for the sets its outcomes and feedback were checked against. Here 200,000 predictions over 100 hours,
        // each with an outcome filed under its hour, are counted in parts of 20,000: a shard reads its predictions
        // and outcomes 3.4 times over (each once to count them, the outcomes' prediction ids again for the labelled
        // count, with whole granules of 8,192 rows at the edges of a part's hours, and the predictions and outcomes once
        // more for the outcomes and feedback that came before their prediction), where a read of every prediction per
        // part read them 33 times over.
        var store = await LoggedInstanceAsync();
        const int N = 200_000;
        var noon = UnixMicroseconds.From(Noon).ToString(CultureInfo.InvariantCulture);
        var time = $"toInt64({noon} + number * 1800000)";
        string Insert(string table, string columns, string select) =>
            $"INSERT INTO `{_database}`.`{table}` ({columns}) {select}";
        foreach (
            var sql in new[]
            {
                Insert(
                    "predictions",
                    "feature, id, time_us, received_us, score",
                    $"SELECT 'fraud', concat('p', toString(number)), {time}, {time}, 0.5 FROM numbers({N})"
                ),
                Insert(
                    "outcome_hours",
                    "feature, prediction_hour, prediction_id, id, label, time_us",
                    $"SELECT 'fraud', intDiv({time}, 3600000000), concat('p', toString(number)), concat('o', toString(number)), '1', {time} FROM numbers({N})"
                ),
                Insert(
                    "outcomes",
                    "feature, id, prediction_id, label, time_us, received_us",
                    $"SELECT 'fraud', concat('o', toString(number)), concat('p', toString(number)), '1', {time}, {time} FROM numbers({N})"
                ),
                // Outcomes loaded before their prediction: 100 of predictions stored since (labelled already, so more
                // outcomes but no more labelled), 100 of predictions never stored (not counted).
                Insert(
                    "outcome_hours",
                    "feature, prediction_hour, prediction_id, id, label, time_us",
                    $"SELECT 'fraud', -1, concat(if(number < 100, 'p', 'missing'), toString(number)), concat('early', toString(number)), '0', {noon} FROM numbers(200)"
                ),
                Insert(
                    "outcomes",
                    "feature, id, prediction_id, label, time_us, received_us",
                    $"SELECT 'fraud', concat('early', toString(number)), concat(if(number < 100, 'p', 'missing'), toString(number)), '0', {noon}, {noon} FROM numbers(200)"
                ),
                // Feedback on 1,000 stored predictions and on 10 never stored; 50 business results.
                Insert(
                    "feedback",
                    "feature, id, prediction_id, kind, time_us, received_us",
                    $"SELECT 'fraud', concat('f', toString(number)), concat(if(number < 1000, 'p', 'missing'), toString(number)), 'thumbs_up', {noon}, {noon} FROM numbers(1010)"
                ),
                Insert(
                    "business",
                    "feature, id, name, value, time_us, received_us",
                    $"SELECT 'fraud', concat('b', toString(number)), 'chargeback', 1, {noon}, {noon} FROM numbers(50)"
                ),
            }
        )
        {
            await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard1, sql);
        }
        store.CountPartRows = N / 10;

        Assert.Equal(new EventCounts(N, N + 100, 1000, 50, N), await store.CountAsync("fraud"));

        // What shard 2 read for the count's queries (the instance sends them to shard 1, which asks shard 2 for its
        // half), against the predictions and outcomes shard 2 holds.
        await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard2, "SYSTEM FLUSH LOGS");
        var read = await ClickHouseServers.CountAsync(
            ClickHouseServers.Shard2,
            "SELECT sum(read_rows) FROM system.query_log WHERE type = 2 AND NOT is_initial_query "
                + $"AND initial_user = 'logged' AND position(query, '{_database}') > 0"
        );
        var held = (await LocalRowsAsync("predictions")).Shard2 + (await LocalRowsAsync("outcome_hours")).Shard2;
        Assert.InRange(read, held, 4 * held);
    }

    [Fact]
    public void HourParts_GroupConsecutiveHoursUpToTheLimit_AndCutABiggerHourByHash()
    {
        var parts = ClickHouseStore.HourParts([(0, 5), (1, 5), (2, 30), (3, 1), (4, 9), (7, 10)], 10);

        Assert.Equal([(0L, 1L, 1), (2L, 2L, 3), (3L, 4L, 1), (7L, 7L, 1)], parts);
        Assert.Empty(ClickHouseStore.HourParts([], 10));
    }
}
