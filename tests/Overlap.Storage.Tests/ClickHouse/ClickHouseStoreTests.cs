using System.Globalization;
using Overlap.Core.Timestamps;
using Overlap.Events;
using Overlap.Storage.ClickHouse;
using Overlap.Storage.Tests.Conformance;
using Overlap.Storage.Tests.DuckDb;

namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// What only a cluster shows: two instances on different shards store an event once and read the same figures, a copy
/// that gets past the key check is removed by the engine, a batch loaded again after a crash doubles nothing, and a
/// server that cannot be reached or refuses a statement is said so in words.
/// </summary>
[Collection(ClickHouseCluster.Name)]
public sealed partial class ClickHouseStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly string _database = ClickHouseServers.NewDatabase();
    private readonly List<string> _folders = [];
    private readonly List<ClickHouseStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _stores.ForEach(s => s.Dispose());
        await ClickHouseServers.ExecuteAsync(
            ClickHouseServers.Shard1,
            $"DROP DATABASE IF EXISTS `{_database}` ON CLUSTER `{ClickHouseServers.Name}`"
        );
        _folders.ForEach(f => Directory.Delete(f, recursive: true));
    }

    /// <summary>An instance of overlap serve on <paramref name="shard"/>: the test's database there, with its own
    /// folder; <paramref name="others"/> are the addresses of the cluster's other servers it is given.</summary>
    private async Task<ClickHouseStore> InstanceAsync(string shard, string? folder = null, params string[] others)
    {
        if (folder is null)
        {
            folder = Directory.CreateTempSubdirectory("overlap-clickhouse-instance-").FullName;
            _folders.Add(folder);
        }
        var store = await ClickHouseStore.OpenAsync(
            string.Join(",", others.Prepend(ClickHouseServers.Address(shard, _database))),
            ClickHouseServers.Name,
            folder
        );
        _stores.Add(store);
        return store;
    }

    /// <summary>An instance on shard 1 as the test servers' <c>logged</c> user, whose queries go to
    /// <c>system.query_log</c> (a test of how many rows a read takes).</summary>
    private async Task<ClickHouseStore> LoggedInstanceAsync()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-clickhouse-instance-").FullName;
        _folders.Add(folder);
        var store = await ClickHouseStore.OpenAsync(
            ClickHouseServers.Address(ClickHouseServers.Shard1.Replace("://", "://logged@"), _database),
            ClickHouseServers.Name,
            folder
        );
        _stores.Add(store);
        return store;
    }

    private static PredictionEvent Prediction(string id, int minute, double score) =>
        new()
        {
            Id = id,
            Feature = "fraud",
            Time = Noon.AddMinutes(minute),
            Score = score,
            Prediction = score >= 0.5 ? "1" : "0",
            LatencyMs = minute,
            AttributesJson = $"{{\"country\":\"{(minute % 3 == 0 ? "de" : "fr")}\"}}",
        };

    private static OutcomeEvent Outcome(string predictionId, int minute, string label) =>
        new()
        {
            Id = "o-" + predictionId + "-" + minute,
            PredictionId = predictionId,
            Feature = "fraud",
            Time = Noon.AddDays(1).AddMinutes(minute),
            Label = label,
        };

    /// <summary>How many rows a table of the test's database holds on each shard, below the Distributed
    /// table.</summary>
    private async Task<(long Shard1, long Shard2)> LocalRowsAsync(string table) =>
        (
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard1,
                $"SELECT count() FROM `{_database}`.`{table}_local`"
            ),
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard2,
                $"SELECT count() FROM `{_database}`.`{table}_local`"
            )
        );

    [Fact]
    public async Task SameEvent_ThroughBothShards_IsStoredOnce()
    {
        var first = await InstanceAsync(ClickHouseServers.Shard1);
        var second = await InstanceAsync(ClickHouseServers.Shard2);
        var sent = new FeatureEvent[] { Prediction("p1", 0, 0.9), Outcome("p1", 0, "1") };

        Assert.Equal(new AppendResult(2, 0), await first.AppendAsync(sent, Noon));
        Assert.Equal(new AppendResult(0, 2), await second.AppendAsync(sent, Noon));

        Assert.Equal(new EventCounts(1, 1, 0, 0, 1), await first.CountAsync("fraud"));
        Assert.Equal(new EventCounts(1, 1, 0, 0, 1), await second.CountAsync("fraud"));
        Assert.Equal(1, (await LocalRowsAsync("predictions")) is var (a, b) ? a + b : -1);
    }

    [Fact]
    public async Task CopyPastTheKeyCheck_LandsOnTheSameShard_AndIsReadOnce()
    {
        // Two instances loading the same event at the same moment both find it missing and both insert it (received at
        // different times, so not as the same block): the copies share (feature, id), so the sharding hash sends both
        // to one shard, where FINAL reads them as one row and a merge keeps one.
        var first = await InstanceAsync(ClickHouseServers.Shard1);
        var second = await InstanceAsync(ClickHouseServers.Shard2);
        var columns = "feature, id, time_us, received_us, score";
        foreach (var (shard, received) in new[] { (ClickHouseServers.Shard1, 1), (ClickHouseServers.Shard2, 2) })
        {
            await ClickHouseServers.ExecuteAsync(
                shard,
                $"INSERT INTO `{_database}`.`predictions` ({columns}) VALUES "
                    + $"('fraud', 'twice', {UnixMicroseconds.From(Noon)}, {received}, 0.25)"
            );
        }
        var (shard1, shard2) = await LocalRowsAsync("predictions");
        Assert.Equal((2L, 0L), shard1 == 2 ? (shard1, shard2) : (shard2, shard1));

        foreach (var store in new[] { first, second })
        {
            var rows = await store.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), []);
            Assert.Equal(["twice"], rows.Ids);
            Assert.Equal([0.25], rows.Scores);
            Assert.Single(await store.ReadEventsAsync("fraud", Noon, Noon.AddHours(1)));
            Assert.Equal(1, (await store.CountAsync("fraud")).Predictions);
        }
        var holder = shard1 == 2 ? ClickHouseServers.Shard1 : ClickHouseServers.Shard2;
        await ClickHouseServers.ExecuteAsync(holder, $"OPTIMIZE TABLE `{_database}`.`predictions_local` FINAL");
        Assert.Equal(
            1,
            await ClickHouseServers.CountAsync(holder, $"SELECT count() FROM `{_database}`.`predictions_local`")
        );
    }

    [Fact]
    public async Task PageAfterAPosition_CopiesNotMergedYetAhead_StillHoldsTheLimitInReceiptOrder()
    {
        // A page's last receipt time is looked up without FINAL: the copy of 'c1' (loaded twice, not merged) makes
        // the third row's time 20 where, read once, it is 30, so the merged read up to 20 has two rows; the page is read
        // again without the bound rather than come back short (a short page tells the caller it reached the end).
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        var columns = "feature, id, time_us, received_us, score";
        // The copy differs in its score so that a replicated table's block dedup does not drop its insert.
        foreach (
            var (id, received, score) in new[]
            {
                ("c1", 10, 0.25),
                ("c1", 10, 0.5),
                ("a2", 20, 0.25),
                ("a3", 30, 0.25),
                ("a4", 40, 0.25),
            }
        )
        {
            await ClickHouseServers.ExecuteAsync(
                ClickHouseServers.Shard1,
                $"INSERT INTO `{_database}`.`predictions` ({columns}) VALUES "
                    + $"('fraud', '{id}', {UnixMicroseconds.From(Noon)}, {received}, {score})"
            );
        }
        Assert.Equal(5, await LocalRowsAsync("predictions") is var (a, b) ? a + b : -1);

        var page = await store.PredictionsAfterAsync("fraud", ReceivedPosition.Start, 3);
        Assert.Equal(["c1", "a2", "a3"], page.Select(p => p.Id));
        var next = await store.PredictionsAfterAsync("fraud", page[^1].Position, 3);
        Assert.Equal(["a4"], next.Select(p => p.Id));
        Assert.Equal(["a2", "a3"], (await store.PredictionsAfterAsync("fraud", page[0].Position, 2)).Select(p => p.Id));
    }

    [Fact]
    public async Task Window_ReadFromEitherShard_GivesTheSameFigures()
    {
        var first = await InstanceAsync(ClickHouseServers.Shard1);
        var second = await InstanceAsync(ClickHouseServers.Shard2);
        var events = new List<FeatureEvent>();
        for (var i = 0; i < 60; i++)
        {
            events.Add(Prediction($"p{i:D2}", i, (i * 37 % 100) / 100.0));
            if (i % 4 != 0)
            {
                events.Add(Outcome($"p{i:D2}", 0, "0"));
                events.Add(Outcome($"p{i:D2}", 5, i % 2 == 0 ? "1" : "0"));
            }
        }
        // Half the batch through each instance: every event is stored once, spread over both shards.
        Assert.Equal(150, events.Count);
        Assert.Equal(90, (await first.AppendAsync(events[..90], Noon)).Stored);
        Assert.Equal(60, (await second.AppendAsync(events[90..], Noon)).Stored);
        var (shard1, shard2) = await LocalRowsAsync("predictions");
        Assert.Equal(60, shard1 + shard2);
        Assert.True(shard1 > 0 && shard2 > 0, $"the predictions are all on one shard ({shard1}, {shard2})");

        var a = await first.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), ["country"]);
        var b = await second.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), ["country"]);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"p{i:D2}"), a.Ids);
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Scores, b.Scores);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Attributes["country"], b.Attributes["country"]);
        // The latest outcome wins: p01 got "0" then "0", p02 got "0" then "1"; p04 has none.
        Assert.Equal([null, "0", "1", "0", null], (IEnumerable<string?>)a.Labels[..5]);
        Assert.Equal(["de", "fr", "fr", "de"], (IEnumerable<string?>)a.Attributes["country"][..4]);
        Assert.Equal(new EventCounts(60, 90, 0, 0, 45), await first.CountAsync("fraud"));
        Assert.Equal(await first.CountAsync("fraud"), await second.CountAsync("fraud"));
        Assert.Equal(await first.CurrentChangeAsync("fraud"), await second.CurrentChangeAsync("fraud"));
    }

    [Fact]
    public async Task Sample_PicksTheSamePredictionsAsTheEmbeddedStore()
    {
        var events = Enumerable.Range(0, 40).Select(i => Prediction($"s{i}", i, 0.5)).ToArray();
        var clickHouse = await InstanceAsync(ClickHouseServers.Shard2);
        await clickHouse.AppendAsync(events, Noon);
        using var duckDb = new DuckDbBackend();
        await using var embedded = new StoreUnderTest(duckDb.NewStore());
        await embedded.Sink.AppendAsync(events, Noon);

        var expected = await embedded.Reader.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), [], sample: 7);
        var read = await clickHouse.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), [], sample: 7);
        Assert.Equal(7, read.Count);
        Assert.Equal(expected.Ids, read.Ids);
        Assert.Empty((await clickHouse.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), [], sample: 0)).Ids);
        Assert.Equal(
            40,
            (await clickHouse.ReadPredictionsAsync("fraud", Noon, Noon.AddHours(1), [], sample: 99)).Count
        );
    }

    [Fact]
    public async Task BatchLoadedAgainAfterACrash_DoublesNothing_AndEachInstanceKeepsItsOwnPosition()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-clickhouse-instance-").FullName;
        _folders.Add(folder);
        var before = await InstanceAsync(ClickHouseServers.Shard1, folder);
        var batch = new FeatureEvent[] { Prediction("a", 1, 0.1), Prediction("b", 2, 0.2), Outcome("a", 1, "1") };
        Assert.Equal(new AppendResult(3, 0), await before.AppendFromLogAsync(batch, Noon, 100));
        // The next frame's rows are stored, then the process dies before its position is written: what a crash
        // between the two leaves (AppendAsync writes rows only).
        var next = new FeatureEvent[] { Prediction("c", 3, 0.3), Outcome("b", 2, "0") };
        await before.AppendAsync(next, Noon);
        Assert.Equal(100, await before.GetLogPositionAsync());

        // The restarted instance (same folder) resumes at 100 and loads the frame again: nothing is stored twice.
        var after = await InstanceAsync(ClickHouseServers.Shard1, folder);
        Assert.Equal(100, await after.GetLogPositionAsync());
        Assert.Equal(new AppendResult(0, 2), await after.AppendFromLogAsync(next, Noon, 160));
        Assert.Equal(160, await after.GetLogPositionAsync());
        Assert.Equal(new EventCounts(3, 2, 0, 0, 2), await after.CountAsync("fraud"));
        Assert.Equal(3, (await LocalRowsAsync("predictions")) is var (x, y) ? x + y : -1);

        // Another instance on the same store has its own log, so no position yet.
        var other = await InstanceAsync(ClickHouseServers.Shard2);
        Assert.Null(await other.GetLogPositionAsync());
    }

    [Fact]
    public async Task TextThatLooksLikeSql_IsKeyedAndFoundAsText()
    {
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        const string Id = "x'); DROP TABLE predictions; --\\'\n\0";
        const string Feature = "fr'aud\\";
        var prediction = Prediction(Id, 1, 0.5) with { Feature = Feature };
        Assert.Equal(new AppendResult(1, 0), await store.AppendAsync([prediction], Noon));
        Assert.Equal(new AppendResult(0, 1), await store.AppendAsync([prediction], Noon));
        Assert.Equal([Feature], (await store.FeaturesOfPredictionsAsync([Id]))[Id]);
        Assert.Equal([Id], (await store.ReadPredictionsAsync(Feature, Noon, Noon.AddHours(1), [])).Ids);
        Assert.Equal(1, (await store.CountAsync(Feature)).Predictions);
    }

    [Fact]
    public async Task Migrations_RunOncePerDatabase()
    {
        await InstanceAsync(ClickHouseServers.Shard1);
        await InstanceAsync(ClickHouseServers.Shard2);
        await InstanceAsync(ClickHouseServers.Shard1);
        Assert.Equal(
            ClickHouseSchema.Latest,
            await ClickHouseServers.CountAsync(
                ClickHouseServers.Shard1,
                $"SELECT count() FROM `{_database}`.`schema_migrations`"
            )
        );
    }

    [Fact]
    public async Task UnreachableServer_SaysWhichAndWhatToDo()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-clickhouse-instance-").FullName;
        _folders.Add(folder);
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            ClickHouseStore.OpenAsync("http://127.0.0.1:9/?database=x", null, folder)
        );
        Assert.StartsWith("the ClickHouse server at http://127.0.0.1:9/ cannot be reached (", error.Message);
        Assert.EndsWith("); start it, or point --clickhouse at a running one", error.Message);

        var notHttp = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            ClickHouseStore.OpenAsync("tcp://127.0.0.1:9000", null, folder)
        );
        Assert.Equal(
            "'tcp://127.0.0.1:9000' is not a ClickHouse HTTP address; give one such as http://127.0.0.1:8123/?database=overlap",
            notHttp.Message
        );
        var noCluster = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            ClickHouseStore.OpenAsync(ClickHouseServers.Address(ClickHouseServers.Shard1, _database), "nope", folder)
        );
        Assert.Equal(
            $"the ClickHouse server at {ClickHouseServers.Shard1.TrimEnd('/')}/ has no cluster 'nope' in its remote_servers; "
                + "name one it has with --clickhouse-cluster",
            noCluster.Message
        );
    }

    [Fact]
    public async Task RefusedStatement_ShowsClickHousesMessage_WithoutItsTrace()
    {
        using var http = new ClickHouseHttp(new Uri(ClickHouseServers.Shard1), TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<ClickHouseException>(() =>
            http.ExecuteAsync("SELECT * FROM overlap_no_such_database.predictions", CancellationToken.None)
        );
        Assert.Equal(
            "ClickHouse refused a statement: Database overlap_no_such_database doesn't exist (code 81)",
            error.Message
        );
    }

    [Fact]
    public async Task ErrorAfterPartOfTheAnswer_IsClickHousesRefusal_NotRowsMadeOfItsText()
    {
        // The first blocks stream out before the error: its status is 200 already, and the error's text follows the last
        // whole row. Before, the reader ended inside a row ("ClickHouse's answer ended inside a row", a 500 with no
        // reason; seen at 10,000,000 predictions a day) or could read the text's letters as rows.
        using var http = new ClickHouseHttp(new Uri(ClickHouseServers.Shard1), TimeSpan.FromMinutes(1));
        var read = new List<string>();
        var error = await Assert.ThrowsAsync<ClickHouseException>(() =>
            http.ReadAsync(
                "SELECT toString(number) FROM system.numbers WHERE throwIf(number >= 3000000) = 0 LIMIT 4000000",
                r => read.Add(r.String()),
                CancellationToken.None
            )
        );
        Assert.Equal(
            "ClickHouse refused a statement: Value passed to 'throwIf' function is non zero (code 395) (after part of the answer was sent)",
            error.Message
        );
        // Every row read was a whole row of the answer, in order.
        Assert.NotEmpty(read);
        Assert.Equal(Enumerable.Range(0, read.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), read);
    }

    [Fact]
    public async Task ShortOfMemory_IsABusyStore_NotARefusal()
    {
        // Code 241 (seen at 10,000,000 predictions a day, answered 500): the request was sound, the server lacked memory
        // for it now, so it is a busy store (503 with Retry-After), in ClickHouse's words.
        // The test servers' user small_memory gets 20 MB a query (scripts/services/clickhouse/users.xml).
        var small = new UriBuilder(ClickHouseServers.Shard1) { UserName = "small_memory" }.Uri;
        using var http = new ClickHouseHttp(small, TimeSpan.FromMinutes(1));
        var busy = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            http.ReadAsync(
                "SELECT toString(groupArray(number)) FROM numbers(10000000)",
                r => r.String(),
                CancellationToken.None
            )
        );
        Assert.True(busy.Busy);
        Assert.StartsWith(
            "ClickHouse ran short of memory for a query of this request (Memory limit (for query) exceeded",
            busy.Message,
            StringComparison.Ordinal
        );
        Assert.Contains("(code 241)", busy.Message, StringComparison.Ordinal);
        Assert.Contains("max_memory_usage", busy.Message, StringComparison.Ordinal);
        Assert.IsType<ClickHouseException>(busy.InnerException);
    }

    [Fact]
    public async Task WindowBatches_ReadInSlicesOfAFewMinutes_AreTheSameRowsAndLabels_InFullBatches()
    {
        // At 10,000,000 a day one query for the day passed ClickHouse's 2 GB a query; a window is now read a slice of
        // whole minutes at a time. Here slices of at most 7 predictions (one a minute), batches of 10.
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        var events = new List<FeatureEvent>();
        for (var i = 0; i < 45; i++)
        {
            events.Add(Prediction($"p{i:D2}", i, (i * 37 % 100) / 100.0));
            if (i % 3 != 0)
            {
                events.Add(Outcome($"p{i:D2}", 0, "0"));
                events.Add(Outcome($"p{i:D2}", 5, i % 2 == 0 ? "1" : "0"));
            }
        }
        await store.AppendAsync(events, Noon);

        async Task<List<List<(string, string?)>>> BatchesAsync()
        {
            var read = new List<List<(string, string?)>>();
            await foreach (var batch in store.ReadPredictionBatchesAsync("fraud", Noon, Noon.AddHours(1), [], 10))
            {
                read.Add([.. batch.Ids.Zip(batch.Labels)]);
            }
            return read;
        }
        var whole = await BatchesAsync();
        store.WindowSliceRows = 7;
        var sliced = await BatchesAsync();

        Assert.Equal([10, 10, 10, 10, 5], sliced.Select(b => b.Count));
        var expected = Enumerable
            .Range(0, 45)
            .Select(i =>
                (
                    $"p{i:D2}",
                    i % 3 == 0 ? null
                    : i % 2 == 0 ? "1"
                    : "0"
                )
            )
            .ToList();
        Assert.Equal(expected, sliced.SelectMany(b => b).OrderBy(r => r.Item1, StringComparer.Ordinal));
        Assert.Equal(expected, whole.SelectMany(b => b).OrderBy(r => r.Item1, StringComparer.Ordinal));
    }
}
