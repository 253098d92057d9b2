using Overlap.Storage.ClickHouse;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// Outcomes are kept a second time under their prediction's hour (<c>outcome_hours</c>), so a window reads its own
/// hours' labels instead of scanning every outcome of the feature: an outcome loaded before its prediction is kept
/// under -1 and still labels it, and a database made before the table has its outcomes copied in when it opens.
/// </summary>
public sealed partial class ClickHouseStoreTests
{
    private Task<long> OutcomeHoursAsync(long hour) =>
        ClickHouseServers.CountAsync(
            ClickHouseServers.Shard1,
            $"SELECT count() FROM `{_database}`.`outcome_hours` WHERE prediction_hour = {hour}"
        );

    [Fact]
    public async Task Outcomes_AreKeptUnderTheirPredictionsHour_OrUnderNoneWhenTheyCameFirst_AndLabelEither()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        var noonHour = Noon.ToUnixTimeSeconds() / 3600;
        // p1's outcome comes before p1; p2 and its outcome come in one batch; p3's outcome after p3.
        await store.AppendAsync([Outcome("p1", 0, "1")], Noon.AddDays(1));
        await store.AppendAsync([Prediction("p1", 5, 0.9), Prediction("p2", 65, 0.2), Outcome("p2", 1, "0")], Noon);
        await store.AppendAsync([Prediction("p3", 10, 0.7)], Noon);
        await store.AppendAsync([Outcome("p3", 2, "1"), Outcome("p3", 3, "0")], Noon.AddDays(1));

        Assert.Equal(1, await OutcomeHoursAsync(-1));
        Assert.Equal(2, await OutcomeHoursAsync(noonHour));
        Assert.Equal(1, await OutcomeHoursAsync(noonHour + 1));
        var rows = await store.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(2), []);
        Assert.Equal(["p1", "p3", "p2"], rows.Ids);
        // p3's later outcome wins.
        Assert.Equal(new string?[] { "1", "0", "0" }, rows.Labels);
        var firstHour = await store.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), []);
        Assert.Equal(new string?[] { "1", "0" }, firstHour.Labels);
    }

    /// <summary>
    /// A window's batches (and its groups) join the predictions to labels read by the window's hours, and name the
    /// outcomes filed under no hour by their predictions' ids while they are few; with more than the limit (0 here),
    /// by the set of the window's ids as before. Either way each prediction gets its latest label, and a label of a
    /// prediction in the window's last hour but after its end labels nothing.
    /// </summary>
    [Theory]
    [InlineData(10_000)]
    [InlineData(0)]
    public async Task ABatchRead_JoinsLabelsByHour_AndTheOnesFiledUnderNoHour(int unfiledLimit)
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        store.UnfiledLabelLimit = unfiledLimit;
        // p1's outcome comes before p1 (filed under no hour); p2 and its outcome in one batch; p3's two outcomes after
        // it; p4 is in the read's last hour, after its end.
        await store.AppendAsync([Outcome("p1", 0, "1")], Noon.AddDays(1));
        await store.AppendAsync([Prediction("p1", 5, 0.9), Prediction("p2", 65, 0.2), Outcome("p2", 1, "0")], Noon);
        await store.AppendAsync([Prediction("p3", 10, 0.7), Prediction("p4", 70, 0.1)], Noon);
        await store.AppendAsync([Outcome("p3", 2, "1"), Outcome("p3", 3, "0"), Outcome("p4", 4, "1")], Noon.AddDays(1));
        Assert.Equal(1, await OutcomeHoursAsync(-1));

        var read = new List<(string, string?)>();
        await foreach (var batch in store.ReadPredictionBatchesAsync("fraud", Noon, Noon.AddMinutes(66), [], 2))
        {
            read.AddRange(batch.Ids.Zip(batch.Labels));
        }
        Assert.Equal(
            [("p1", "1"), ("p2", "0"), ("p3", "0")],
            read.OrderBy(r => r.Item1, StringComparer.Ordinal).ToList()
        );
    }

    [Fact]
    public async Task ADatabaseMadeBeforeOutcomeHours_HasItsOutcomesCopiedUnderNoHour_WhenItOpens()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        await store.AppendAsync(
            [Prediction("p1", 5, 0.9), Prediction("p2", 6, 0.2), Outcome("p1", 1, "1"), Outcome("p2", 1, "0")],
            Noon
        );
        // As an earlier version left it: no outcome_hours, migrations 1 and 2 applied.
        var cluster = ClickHouseSchema.OnCluster(ClickHouseServers.Name);
        foreach (
            var table in new[]
            {
                "outcome_hours",
                "outcome_hours_local",
                "schema_migrations",
                "schema_migrations_local",
            }
        )
        {
            await ClickHouseServers.ExecuteAsync(
                ClickHouseServers.Shard1,
                $"DROP TABLE IF EXISTS `{_database}`.`{table}`{cluster}"
            );
        }
        foreach (var statement in ClickHouseSchema.Bootstrap(_database, ClickHouseServers.Name, store.Replicated))
        {
            await ClickHouseServers.ExecuteAsync(ClickHouseServers.Shard1, statement);
        }
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"INSERT INTO `{_database}`.`schema_migrations` (version, applied_us) VALUES (1, 0), (2, 0)"
        );

        var reopened = await InstanceAsync(ClickHouseServers.Shard2);
        Assert.Equal(2, await OutcomeHoursAsync(-1));
        Assert.Equal(
            ClickHouseSchema.Latest,
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard1,
                $"SELECT uniqExact(version) FROM `{_database}`.`schema_migrations`"
            )
        );
        var rows = await reopened.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), []);
        Assert.Equal(new string?[] { "1", "0" }, rows.Labels);
    }
}
