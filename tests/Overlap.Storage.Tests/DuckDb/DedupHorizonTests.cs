using DuckDB.NET.Data;
using Overlap.Core.Sampling;
using Overlap.Events;
using Overlap.Storage.DuckDb;

namespace Overlap.Storage.Tests.DuckDb;

/// <summary>
/// The embedded store keeps no key on its event tables (a key's index grows with the whole history, in memory): an
/// event is dropped when its id was received within the dedup horizon, a store made with keys moves to tables without
/// them once, and an id stored twice (a delivery beyond the horizon) reads as one event, its first received row, in
/// every reader.
/// </summary>
public sealed class DedupHorizonTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-dedup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path_ => Path.Combine(_folder, DuckDbStore.FileName);

    /// <summary>The event tables as the store made them before this change: a primary key on (feature, id).</summary>
    private const string KeyedSchema = """
        CREATE TABLE predictions (id VARCHAR NOT NULL, feature VARCHAR NOT NULL, time_us BIGINT NOT NULL, model_version VARCHAR, score DOUBLE,
          prediction VARCHAR, latency_ms DOUBLE, cost DOUBLE, inputs VARCHAR, attributes VARCHAR, received_us BIGINT NOT NULL,
          output VARCHAR, input_tokens BIGINT, output_tokens BIGINT, conversation_id VARCHAR, model VARCHAR, error VARCHAR,
          PRIMARY KEY (feature, id));
        CREATE TABLE outcomes (id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, label VARCHAR NOT NULL, source VARCHAR,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL, feature VARCHAR NOT NULL, PRIMARY KEY (feature, id));
        CREATE TABLE feedback (id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, time_us BIGINT NOT NULL, received_us BIGINT NOT NULL,
          feature VARCHAR NOT NULL, edit_distance BIGINT, final_length BIGINT, PRIMARY KEY (feature, id));
        CREATE TABLE business (id VARCHAR NOT NULL, name VARCHAR NOT NULL, value DOUBLE NOT NULL, prediction_id VARCHAR, feature VARCHAR NOT NULL,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL, PRIMARY KEY (feature, id));
        CREATE TABLE stage_predictions AS SELECT * FROM predictions LIMIT 0;
        CREATE TABLE stage_outcomes AS SELECT * FROM outcomes LIMIT 0;
        CREATE TABLE stage_feedback AS SELECT * FROM feedback LIMIT 0;
        CREATE TABLE stage_business AS SELECT * FROM business LIMIT 0;
        INSERT INTO predictions VALUES ('p1', 'fraud', 1795435200000000, 'v1', 0.9, 'fraud', 12, 0.01, NULL, '{"channel":"web"}', 1795435200000000, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO predictions VALUES ('p2', 'fraud', 1795435200000000, 'v1', 0.1, NULL, NULL, NULL, NULL, NULL, 1795435200000000, 'an answer', 10, 3, 't1', 'm', NULL);
        INSERT INTO outcomes VALUES ('o1', 'p1', 'fraud', NULL, 1795435200000000, 1795435200000000, 'fraud');
        INSERT INTO feedback VALUES ('f1', 'p2', 'edited', 1795435200000000, 1795435200000000, 'fraud', 4, 9);
        INSERT INTO business VALUES ('b1', 'chargeback', 80, 'p1', 'fraud', 1795435200000000, 1795435200000000);
        """;

    private static readonly string[] EventTables = ["predictions", "outcomes", "feedback", "business"];

    private async Task<List<object?[]>> QueryAsync(string sql)
    {
        var connection = new DuckDBConnection($"Data Source={Path_}");
        await using (connection)
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = await command.ExecuteReaderAsync();
            var rows = new List<object?[]>();
            while (await reader.ReadAsync())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }
                rows.Add(row);
            }
            return rows;
        }
    }

    /// <summary>Each event table's keys and indexes, as the catalog lists them: none is wanted.</summary>
    private async Task<List<string>> EventKeysAndIndexesAsync()
    {
        var tables = string.Join(", ", EventTables.Select(t => $"'{t}'"));
        var rows = await QueryAsync(
            $"""
            SELECT table_name || ' ' || constraint_type FROM duckdb_constraints()
              WHERE table_name IN ({tables}) AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
            UNION ALL
            SELECT table_name || ' index ' || index_name FROM duckdb_indexes() WHERE table_name IN ({tables})
            """
        );
        return [.. rows.Select(r => (string)r[0]!)];
    }

    private async Task<List<string>> ColumnsAsync(string table) =>
        [
            .. (
                await QueryAsync(
                    $"SELECT column_name FROM duckdb_columns() WHERE table_name = '{table}' ORDER BY column_index"
                )
            ).Select(r => (string)r[0]!),
        ];

    [Fact]
    public async Task NewStore_EventTablesHaveNoKeyOrIndex()
    {
        await using (DuckDbStore.Open(_folder)) { }

        Assert.Empty(await EventKeysAndIndexesAsync());
    }

    [Fact]
    public async Task Open_StoreMadeWithKeys_MovesEveryRowToTablesWithoutKeys_Once()
    {
        var connection = new DuckDBConnection($"Data Source={Path_}");
        await using (connection)
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = KeyedSchema;
            await command.ExecuteNonQueryAsync();
        }
        Assert.Equal(
            ["business PRIMARY KEY", "feedback PRIMARY KEY", "outcomes PRIMARY KEY", "predictions PRIMARY KEY"],
            (await EventKeysAndIndexesAsync()).Order(StringComparer.Ordinal)
        );
        var keyedColumns = await Task.WhenAll(EventTables.Select(ColumnsAsync));

        await using (var store = DuckDbStore.Open(_folder))
        {
            Assert.Equal(new EventCounts(2, 1, 1, 1, 1), await store.CountAsync("fraud"));
            var read = await store.ReadEventsAsync("fraud", Noon.AddDays(-1), Noon.AddDays(1));
            Assert.Equal(["b1", "f1", "o1", "p1", "p2"], read.Select(e => e.Id).Order(StringComparer.Ordinal));
            var p2 = Assert.IsType<PredictionEvent>(read.Single(e => e.Id == "p2"));
            Assert.Equal(("an answer", 10L, 3L, "t1"), (p2.Output, p2.InputTokens, p2.OutputTokens, p2.ConversationId));
            var f1 = Assert.IsType<FeedbackEvent>(read.Single(e => e.Id == "f1"));
            Assert.Equal((4L, 9L), (f1.EditDistance, f1.FinalLength));
        }
        Assert.Empty(await EventKeysAndIndexesAsync());
        // Same columns, same order as before and as a new store makes them: the keyed store's, then the workflow's and
        // the outcome's prediction hour, which came after it and are added on open.
        keyedColumns[Array.IndexOf(EventTables, "predictions")]
            .AddRange(["workflow_route", "workflow_attempts", "workflow_failed_checks", "workflow_reason"]);
        keyedColumns[Array.IndexOf(EventTables, "outcomes")].Add("prediction_hour");
        Assert.Equal(keyedColumns, await Task.WhenAll(EventTables.Select(ColumnsAsync)));
        var oids = await QueryAsync(
            "SELECT table_name, table_oid FROM duckdb_tables() WHERE table_name IN ('predictions', 'outcomes', 'feedback', 'business') ORDER BY table_name"
        );

        // Opened again, nothing is migrated again: the tables are the same tables, with the same rows.
        await using (var reopened = DuckDbStore.Open(_folder))
        {
            Assert.Equal(new EventCounts(2, 1, 1, 1, 1), await reopened.CountAsync("fraud"));
        }
        Assert.Equal(
            oids.Select(r => (r[0], r[1])),
            (
                await QueryAsync(
                    "SELECT table_name, table_oid FROM duckdb_tables() WHERE table_name IN ('predictions', 'outcomes', 'feedback', 'business') ORDER BY table_name"
                )
            ).Select(r => (r[0], r[1]))
        );
    }

    private static PredictionEvent Prediction(string id, double score, string? output = null) =>
        new()
        {
            Id = id,
            Feature = "fraud",
            Time = Noon,
            Score = score,
            Prediction = score >= 0.5 ? "fraud" : "legit",
            Output = output,
        };

    /// <summary>One of each kind for p1; the repeat carries other values, so which row a reader keeps shows.</summary>
    private static FeatureEvent[] Batch(double score, string label) =>
        [
            Prediction("p1", score, output: $"answer {score}"),
            new OutcomeEvent
            {
                Id = "o1",
                Feature = "fraud",
                PredictionId = "p1",
                Label = label,
                Time = Noon,
            },
            new FeedbackEvent
            {
                Id = "f1",
                Feature = "fraud",
                PredictionId = "p1",
                FeedbackKind = FeedbackKinds.ThumbsDown,
                Time = Noon,
            },
            new BusinessEvent
            {
                Id = "b1",
                Feature = "fraud",
                PredictionId = "p1",
                Name = "chargeback",
                Value = 80,
                Time = Noon,
            },
        ];

    [Fact]
    public async Task Append_RepeatWithinTheHorizon_IsANoOp_AndOneBeyondIt_IsStoredAgain()
    {
        await using var store = DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromDays(1));
        Assert.Equal(new AppendResult(4, 0), await store.AppendAsync(Batch(0.9, "fraud"), Noon));
        // 23 hours later: within the day, each of the four is a repeat.
        Assert.Equal(new AppendResult(0, 4), await store.AppendAsync(Batch(0.9, "fraud"), Noon.AddHours(23)));
        // Exactly a day later the first receipt is no longer within the horizon.
        Assert.Equal(new AppendResult(4, 0), await store.AppendAsync(Batch(0.2, "legit"), Noon.AddDays(1)));
        // Within a day of the second receipt, a third delivery is a repeat again; a duplicate inside a batch collapses.
        Assert.Equal(
            new AppendResult(1, 5),
            await store.AppendAsync(
                [.. Batch(0.2, "legit"), Prediction("p2", 0.4), Prediction("p2", 0.4)],
                Noon.AddDays(1.5)
            )
        );
        // Two rows of each: the first delivery and the one beyond the horizon.
        foreach (var table in EventTables)
        {
            var stored = await QueryAsync($"SELECT count(*) FROM {table} WHERE id IN ('p1', 'o1', 'f1', 'b1')");
            Assert.Equal(2L, stored[0][0]);
        }
    }

    [Fact]
    public async Task Reads_IdStoredTwice_CountItOnce_WithItsFirstReceivedRow()
    {
        await using var store = DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromDays(1));
        await store.AppendAsync([.. Batch(0.9, "fraud"), Prediction("p2", 0.5, output: "answer p2")], Noon);
        await store.AppendAsync(Batch(0.2, "legit"), Noon.AddDays(2));
        await store.AppendAsync(Batch(0.3, "legit"), Noon.AddDays(4));
        var from = Noon.AddDays(-1);
        var to = Noon.AddDays(1);

        Assert.Equal(new EventCounts(2, 1, 1, 1, 1), await store.CountAsync("fraud"));

        var rows = await store.ReadPredictionsAsync("fraud", from, to, []);
        Assert.Equal(["p1", "p2"], rows.Ids);
        Assert.Equal([0.9, 0.5], rows.Scores);
        Assert.Equal(["fraud", null], rows.Labels.AsEnumerable());
        Assert.Equal(["p1", "p2"], (await store.ReadPredictionsAsync("fraud", from, to, [], sample: 10)).Ids);

        var chunks = new List<string>();
        await foreach (var chunk in store.ReadPredictionChunksAsync("fraud", from, to, [], chunkRows: 1))
        {
            chunks.AddRange(chunk.Ids);
        }
        Assert.Equal(["p1", "p2"], chunks);
        var batches = new List<(string, double)>();
        await foreach (var batch in store.ReadPredictionBatchesAsync("fraud", from, to, [], batchRows: 1))
        {
            batches.AddRange(batch.Ids.Zip(batch.Scores));
        }
        Assert.Equal([("p1", 0.9), ("p2", 0.5)], batches.Order());

        var events = await store.ReadEventsAsync("fraud", from, to);
        Assert.Equal(["b1", "f1", "o1", "p1", "p2"], events.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(0.9, Assert.IsType<PredictionEvent>(events.Single(e => e.Id == "p1")).Score);
        Assert.Equal("fraud", Assert.IsType<OutcomeEvent>(events.Single(e => e.Id == "o1")).Label);

        var features = await store.FeaturesOfPredictionsAsync(["p1", "p2"]);
        Assert.Equal(["fraud"], features["p1"]);

        var received = await store.PredictionsAfterAsync("fraud", ReceivedPosition.Start, 100);
        Assert.Equal(
            [("p1", Noon, (double?)0.9), ("p2", Noon, 0.5)],
            received.Select(p => (p.Id, p.Received, p.Score))
        );

        var toGrade = await store.OutputsToGradeAsync("fraud", 1, "salt", 10);
        Assert.Equal([("p1", "answer 0.9"), ("p2", "answer p2")], toGrade.Select(o => (o.Id, o.Output)));

        // Review: routed once, listed once, settled once, with the first row's score.
        Assert.Equal(2, await store.RouteForReviewAsync("fraud", 0, 1, 1, 0, Noon.AddDays(5)));
        Assert.Equal(0, await store.RouteForReviewAsync("fraud", 0, 1, 1, 0, Noon.AddDays(5)));
        var items = await store.ListReviewItemsAsync("fraud", null, 10);
        Assert.Equal([("p1", (double?)0.9), ("p2", 0.5)], items.Select(i => (i.PredictionId, i.Score)));
        Assert.Equal(0.9, (await store.GetReviewItemAsync("fraud", "p1"))!.Score);
        await store.ClaimReviewItemAsync("fraud", "p1", "ana", Noon.AddDays(5), Noon.AddDays(5).AddMinutes(10));
        Assert.True(
            await store.DecideReviewItemAsync(
                new ReviewDecision("fraud", "p1", "ana", "correct", "legit", null, null, Noon.AddDays(5))
                {
                    Grades = new Dictionary<string, int> { ["polite"] = 1 },
                },
                ReviewStatus.Decided
            )
        );
        var settled = Assert.Single(await store.SettledReviewsAsync("fraud"));
        Assert.Equal(("p1", (double?)0.9, "fraud"), (settled.PredictionId, settled.Score, settled.Prediction));
        Assert.Equal("polite", Assert.Single(await store.ReviewGradesAsync("fraud", from, to)).Criterion);
        var reviewed = Assert.Single(await store.ReviewedOutputsAsync("fraud"));
        Assert.Equal(("p1", "answer 0.9"), (reviewed.PredictionId, reviewed.Output));
        Assert.Equal([FeedbackKinds.ThumbsDown], reviewed.Feedback);
    }

    [Fact]
    public async Task Sample_IdStoredThrice_IsOnePredictionOfTheSample()
    {
        // Of p1, p2 and p3, p3 has the smallest sampling key and p2 the next (StableSample.Key).
        await using var store = DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromDays(1));
        await store.AppendAsync([Prediction("p1", 0.1), Prediction("p2", 0.2), Prediction("p3", 0.3)], Noon);
        await store.AppendAsync([Prediction("p3", 0.3)], Noon.AddDays(2));
        await store.AppendAsync([Prediction("p3", 0.3)], Noon.AddDays(4));
        Assert.True(StableSample.Key("p3") < StableSample.Key("p2") && StableSample.Key("p2") < StableSample.Key("p1"));

        // A sample counts predictions, not stored rows: p3's three rows are one of the two asked for, as ClickHouse's
        // sample (its distinct ids) picks them.
        var sample = await store.ReadPredictionsAsync("fraud", Noon.AddDays(-1), Noon.AddDays(1), [], sample: 2);
        Assert.Equal(["p2", "p3"], sample.Ids);
    }

    [Fact]
    public async Task Reads_IdStoredTwiceAtTwoTimes_ReadItOnce_AtTheEarlierTime()
    {
        await using var store = DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromDays(1));
        await store.AppendAsync([Prediction("p3", 0.7, output: "first") with { Time = Noon.AddHours(1) }], Noon);
        // Sent again two days later, with an earlier time: every reader takes the earlier time's row, the same one.
        await store.AppendAsync(
            [Prediction("p3", 0.3, output: "second") with { Time = Noon.AddMinutes(30) }],
            Noon.AddDays(2)
        );
        var from = Noon.AddDays(-1);
        var to = Noon.AddDays(1);

        Assert.Equal(new EventCounts(1, 0, 0, 0, 0), await store.CountAsync("fraud"));
        var rows = await store.ReadPredictionsAsync("fraud", from, to, []);
        Assert.Equal([("p3", 0.3)], rows.Ids.Zip(rows.Scores));
        var events = await store.ReadEventsAsync("fraud", from, to);
        Assert.Equal(0.3, Assert.IsType<PredictionEvent>(Assert.Single(events)).Score);
        var received = await store.PredictionsAfterAsync("fraud", ReceivedPosition.Start, 100);
        Assert.Equal([("p3", 0.3)], received.Select(p => (p.Id, p.Score ?? double.NaN)));
        Assert.Equal("second", Assert.Single(await store.OutputsToGradeAsync("fraud", 1, "salt", 10)).Output);
    }

    private async Task<long> SmallestHorizonUsAsync() =>
        (long)(await QueryAsync("SELECT smallest_us FROM dedup_horizon"))[0][0]!;

    private static async Task<List<(string, double)>> BatchesAsync(DuckDbStore store)
    {
        var read = new List<(string, double)>();
        await foreach (
            var batch in store.ReadPredictionBatchesAsync("fraud", Noon.AddDays(-1), Noon.AddDays(1), [], batchRows: 1)
        )
        {
            read.AddRange(batch.Ids.Zip(batch.Scores));
        }
        return read;
    }

    [Fact]
    public async Task Open_KeepsTheSmallestHorizonEverUsed()
    {
        await using (DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromDays(2))) { }
        Assert.Equal(2 * 86_400_000_000L, await SmallestHorizonUsAsync());
        await using (DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromHours(1))) { }
        Assert.Equal(3_600_000_000L, await SmallestHorizonUsAsync());
        await using (DuckDbStore.Open(_folder)) { }
        Assert.Equal(3_600_000_000L, await SmallestHorizonUsAsync());
    }

    [Fact]
    public async Task ReadPredictionBatches_CopiesStoredUnderAnEarlierShorterHorizon_AreReadOnce()
    {
        // Stored twice two hours apart under a one-hour horizon; the store is then opened with the default week, within
        // which the two receipts lie: the read must still look for copies.
        await using (var first = DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromHours(1)))
        {
            await first.AppendAsync([Prediction("p1", 0.9), Prediction("p2", 0.5)], Noon);
            await first.AppendAsync([Prediction("p1", 0.2)], Noon.AddHours(2));
        }
        await using var store = DuckDbStore.Open(_folder);
        Assert.Equal([("p1", 0.9), ("p2", 0.5)], (await BatchesAsync(store)).Order());
    }

    [Fact]
    public async Task ReadPredictionBatches_StoreFilledBeforeHorizonsWereKept_LooksForCopies()
    {
        await using (var first = DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromHours(1)))
        {
            await first.AppendAsync([Prediction("p1", 0.9)], Noon);
            await first.AppendAsync([Prediction("p1", 0.2)], Noon.AddHours(2));
        }
        // As a store made before this record: its predictions were stored under horizons no one wrote down.
        await QueryAsync("DROP TABLE dedup_horizon");
        await using var store = DuckDbStore.Open(_folder);
        Assert.Equal(0L, await SmallestHorizonUsAsync());
        Assert.Equal([("p1", 0.9)], await BatchesAsync(store));
    }

    [Fact]
    public async Task ReadPredictionBatches_RangeReceivedWithinTheHorizon_ReadsEachRowOnce()
    {
        await using var store = DuckDbStore.Open(_folder, dedupHorizon: TimeSpan.FromHours(1));
        await store.AppendAsync([Prediction("p1", 0.9), Prediction("p2", 0.5)], Noon);
        await store.AppendAsync([Prediction("p1", 0.2), Prediction("p3", 0.1)], Noon.AddMinutes(30));
        Assert.Equal([("p1", 0.9), ("p2", 0.5), ("p3", 0.1)], (await BatchesAsync(store)).Order());
    }
}
