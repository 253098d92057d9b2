using DuckDB.NET.Data;
using Overlap.Events;
using Overlap.Storage.DuckDb;

namespace Overlap.Storage.Tests.DuckDb;

/// <summary>
/// Event ids are unique per feature, and a store written before that (ids global, outcomes and feedback without a
/// feature) opens with its rows under the new keys.
/// </summary>
public sealed class SchemaMigrationTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-migrate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The event tables as the store created them before ids were per feature.</summary>
    private const string OldSchema = """
        CREATE TABLE predictions (
          id VARCHAR PRIMARY KEY, feature VARCHAR NOT NULL, time_us BIGINT NOT NULL, model_version VARCHAR, score DOUBLE,
          prediction VARCHAR, latency_ms DOUBLE, cost DOUBLE, inputs VARCHAR, attributes VARCHAR, received_us BIGINT NOT NULL);
        CREATE TABLE outcomes (
          id VARCHAR PRIMARY KEY, prediction_id VARCHAR NOT NULL, label VARCHAR NOT NULL, source VARCHAR,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL);
        CREATE TABLE feedback (
          id VARCHAR PRIMARY KEY, prediction_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, time_us BIGINT NOT NULL, received_us BIGINT NOT NULL);
        CREATE TABLE business (
          id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, value DOUBLE NOT NULL, prediction_id VARCHAR, feature VARCHAR,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL);
        CREATE TABLE review_items (
          prediction_id VARCHAR PRIMARY KEY, feature VARCHAR NOT NULL, reason VARCHAR NOT NULL, routed_us BIGINT NOT NULL,
          status VARCHAR NOT NULL, claimed_by VARCHAR, claim_expires_us BIGINT);
        ALTER TABLE review_items ADD COLUMN opinions INTEGER DEFAULT 1;
        ALTER TABLE review_items ADD COLUMN escalated_because VARCHAR;
        CREATE TABLE stage_predictions AS SELECT * FROM predictions LIMIT 0;
        CREATE TABLE stage_outcomes AS SELECT * FROM outcomes LIMIT 0;
        CREATE TABLE stage_feedback AS SELECT * FROM feedback LIMIT 0;
        CREATE TABLE stage_business AS SELECT * FROM business LIMIT 0;
        INSERT INTO predictions VALUES ('p1', 'fraud', 1795435200000000, 'v1', 0.9, 'fraud', 12, 0.01, NULL, '{"channel":"web"}', 1795435200000000);
        INSERT INTO predictions VALUES ('p2', 'fraud', 1795435200000000, 'v1', 0.1, NULL, NULL, NULL, NULL, NULL, 1795435200000000);
        INSERT INTO outcomes VALUES ('o1', 'p1', 'fraud', NULL, 1795435200000000, 1795435200000000);
        INSERT INTO outcomes VALUES ('orphan', 'never-sent', 'fraud', NULL, 1795435200000000, 1795435200000000);
        INSERT INTO feedback VALUES ('f1', 'p2', 'thumbs_down', 1795435200000000, 1795435200000000);
        INSERT INTO business VALUES ('b1', 'chargeback', 80, 'p1', NULL, 1795435200000000, 1795435200000000);
        INSERT INTO review_items VALUES ('p2', 'fraud', 'sample', 1795435200000000, 'pending', NULL, NULL, 1, NULL);
        """;

    private static PredictionEvent Prediction(string id, string feature, double score) =>
        new()
        {
            Id = id,
            Feature = feature,
            Time = Noon,
            Score = score,
        };

    [Fact]
    public async Task Open_StoreWithGlobalIds_KeepsEveryRowUnderTheFeatureKeys()
    {
        var connection = new DuckDBConnection($"Data Source={Path.Combine(_folder, DuckDbStore.FileName)}");
        await using (connection)
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = OldSchema;
            await command.ExecuteNonQueryAsync();
        }

        await using (var store = DuckDbStore.Open(_folder))
        {
            Assert.Equal(new EventCounts(2, 1, 1, 1, 1), await store.CountAsync("fraud"));
            var rows = await store.ReadPredictionsAsync("fraud", Noon.AddDays(-1), Noon.AddDays(1), ["channel"]);
            Assert.Equal(["p1", "p2"], rows.Ids);
            Assert.Equal(new[] { "fraud", null }, rows.Labels.AsEnumerable());
            Assert.Equal(new[] { "web", null }, rows.Attributes["channel"].AsEnumerable());
            Assert.Equal("p2", Assert.Single(await store.ListReviewItemsAsync("fraud", null, 10)).PredictionId);

            // The same ids for another feature are new events now.
            var result = await store.AppendAsync(
                [
                    Prediction("p1", "other", 0.3),
                    new OutcomeEvent
                    {
                        Id = "o1",
                        Feature = "other",
                        PredictionId = "p1",
                        Label = "legit",
                        Time = Noon,
                    },
                ],
                Noon
            );
            Assert.Equal(new AppendResult(2, 0), result);
        }
        await using (var reopened = DuckDbStore.Open(_folder))
        {
            Assert.Equal(new EventCounts(2, 1, 1, 1, 1), await reopened.CountAsync("fraud"));
            Assert.Equal(new EventCounts(1, 1, 0, 0, 1), await reopened.CountAsync("other"));
        }
    }

    /// <summary>The prediction and feedback tables (and their staging tables) as made before generative fields.</summary>
    private const string BeforeGenerative = """
        CREATE TABLE predictions (id VARCHAR NOT NULL, feature VARCHAR NOT NULL, time_us BIGINT NOT NULL, model_version VARCHAR,
          score DOUBLE, prediction VARCHAR, latency_ms DOUBLE, cost DOUBLE, inputs VARCHAR, attributes VARCHAR,
          received_us BIGINT NOT NULL, PRIMARY KEY (feature, id));
        CREATE TABLE outcomes (id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, label VARCHAR NOT NULL, source VARCHAR,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL, feature VARCHAR NOT NULL, PRIMARY KEY (feature, id));
        CREATE TABLE feedback (id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL, feature VARCHAR NOT NULL, PRIMARY KEY (feature, id));
        CREATE TABLE stage_predictions AS SELECT * FROM predictions LIMIT 0;
        CREATE TABLE stage_feedback AS SELECT * FROM feedback LIMIT 0;
        INSERT INTO predictions VALUES ('p1', 'fraud', 1795435200000000, 'v1', 0.9, 'fraud', 12, 0.01, NULL, '{"channel":"web"}', 1795435200000000);
        INSERT INTO feedback VALUES ('f1', 'p1', 'thumbs_down', 1795435200000000, 1795435200000000, 'fraud');
        """;

    [Fact]
    public async Task Open_StoreBeforeGenerativeFields_KeepsItsRowsAndTakesTheNewFields()
    {
        var connection = new DuckDBConnection($"Data Source={Path.Combine(_folder, DuckDbStore.FileName)}");
        await using (connection)
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = BeforeGenerative;
            await command.ExecuteNonQueryAsync();
        }
        var call = new PredictionEvent
        {
            Id = "c1",
            Feature = "fraud",
            Time = Noon.AddMinutes(1),
            Output = "a reply",
            InputTokens = 10,
            OutputTokens = 3,
            ConversationId = "t1",
            Model = "m",
            Error = null,
            // The workflow columns came later still: an old store gains them on open, its old rows read null.
            Workflow = new WorkflowTrace
            {
                Route = WorkflowRoutes.Fallback,
                Attempts = 3,
                FailedChecks = ["json_format"],
                Reason = "no valid draft",
            },
        };
        var edit = new FeedbackEvent
        {
            Id = "f2",
            Feature = "fraud",
            PredictionId = "c1",
            Time = Noon.AddMinutes(2),
            FeedbackKind = FeedbackKinds.Edited,
            EditDistance = 4,
            FinalLength = 9,
        };
        await using (var store = DuckDbStore.Open(_folder))
        {
            Assert.Equal(new AppendResult(2, 0), await store.AppendAsync([call, edit], Noon));
        }
        await using var reopened = DuckDbStore.Open(_folder);
        var read = await reopened.ReadEventsAsync("fraud", Noon.AddDays(-1), Noon.AddDays(1));
        FeatureEvent[] expected =
        [
            new PredictionEvent
            {
                Id = "p1",
                Feature = "fraud",
                Time = Noon,
                ModelVersion = "v1",
                Score = 0.9,
                Prediction = "fraud",
                LatencyMs = 12,
                Cost = 0.01,
                AttributesJson = """{"channel":"web"}""",
            },
            new FeedbackEvent
            {
                Id = "f1",
                Feature = "fraud",
                PredictionId = "p1",
                Time = Noon,
                FeedbackKind = "thumbs_down",
            },
            call,
            edit,
        ];
        Assert.Equal(expected, read);
        Assert.Equal(new EventCounts(2, 0, 2, 0, 0), await reopened.CountAsync("fraud"));
    }

    [Fact]
    public async Task Append_SameIdForTwoFeatures_StoresBoth_AndOutcomesJoinTheirOwnFeature()
    {
        await using var store = DuckDbStore.Open(_folder);
        var result = await store.AppendAsync(
            [
                Prediction("p1", "fraud", 0.9),
                Prediction("p1", "spam", 0.2),
                new OutcomeEvent
                {
                    Id = "o1",
                    Feature = "fraud",
                    PredictionId = "p1",
                    Label = "fraud",
                    Time = Noon,
                },
                new OutcomeEvent
                {
                    Id = "o1",
                    Feature = "spam",
                    PredictionId = "p1",
                    Label = "ham",
                    Time = Noon,
                },
                new FeedbackEvent
                {
                    Id = "f1",
                    Feature = "spam",
                    PredictionId = "p1",
                    FeedbackKind = "thumbs_up",
                    Time = Noon,
                },
            ],
            Noon
        );
        Assert.Equal(new AppendResult(5, 0), result);
        Assert.Equal(new EventCounts(1, 1, 0, 0, 1), await store.CountAsync("fraud"));
        Assert.Equal(new EventCounts(1, 1, 1, 0, 1), await store.CountAsync("spam"));
        Assert.Equal(
            "ham",
            Assert.Single((await store.ReadPredictionsAsync("spam", Noon.AddDays(-1), Noon.AddDays(1), [])).Labels)
        );
        Assert.Equal(
            "fraud",
            Assert.Single((await store.ReadPredictionsAsync("fraud", Noon.AddDays(-1), Noon.AddDays(1), [])).Labels)
        );
    }
}
