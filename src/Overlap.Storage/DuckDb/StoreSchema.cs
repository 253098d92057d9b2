namespace Overlap.Storage.DuckDb;

/// <summary>The DuckDB tables. Times are microseconds since the Unix epoch (UTC); JSON objects are kept as text.</summary>
internal static partial class StoreSchema
{
    // Event ids are unique per feature: the same id sent for two features is two events. Outcomes, feedback and review
    // items name their feature and meet their prediction on (feature, prediction_id). The event tables have no key: a
    // key's index lives in memory and grows with the whole history, so an append drops a repeated id by an anti-join on
    // the ids received within the store's dedup horizon instead (see DuckDbStore.Events.cs).
    private const string Predictions = """
        (id VARCHAR NOT NULL, feature VARCHAR NOT NULL, time_us BIGINT NOT NULL, model_version VARCHAR, score DOUBLE,
          prediction VARCHAR, latency_ms DOUBLE, cost DOUBLE, inputs VARCHAR, attributes VARCHAR, received_us BIGINT NOT NULL,
          output VARCHAR, input_tokens BIGINT, output_tokens BIGINT, conversation_id VARCHAR, model VARCHAR, error VARCHAR,
          workflow_route VARCHAR, workflow_attempts BIGINT, workflow_failed_checks VARCHAR, workflow_reason VARCHAR)
        """;

    private const string Outcomes = """
        (id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, label VARCHAR NOT NULL, source VARCHAR,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL, feature VARCHAR NOT NULL, prediction_hour BIGINT)
        """;

    private const string Feedback = """
        (id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, time_us BIGINT NOT NULL, received_us BIGINT NOT NULL,
          feature VARCHAR NOT NULL, edit_distance BIGINT, final_length BIGINT)
        """;

    private const string Business = """
        (id VARCHAR NOT NULL, name VARCHAR NOT NULL, value DOUBLE NOT NULL, prediction_id VARCHAR, feature VARCHAR NOT NULL,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL)
        """;

    private const string ReviewItems = """
        (prediction_id VARCHAR NOT NULL, feature VARCHAR NOT NULL, reason VARCHAR NOT NULL, routed_us BIGINT NOT NULL,
          status VARCHAR NOT NULL, claimed_by VARCHAR, claim_expires_us BIGINT, PRIMARY KEY (feature, prediction_id))
        """;

    /// <summary>True (one row) when the store was made before ids were per feature: its outcomes have no feature.</summary>
    public const string IsGlobalIds =
        "SELECT count(*) = 0 FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'outcomes' AND column_name = 'feature'";

    /// <summary>
    /// Moves a store with global ids to keys per feature, in one transaction: each event table is rebuilt under its new
    /// key; an outcome, feedback or business result takes the feature of the prediction it names ('' when none is stored).
    /// </summary>
    public const string MigrateToFeatureIds = $$"""
        BEGIN TRANSACTION;
        CREATE TABLE predictions_v2 {{Predictions}};
        INSERT INTO predictions_v2 SELECT * FROM predictions;
        CREATE TABLE outcomes_v2 {{Outcomes}};
        INSERT INTO outcomes_v2 SELECT o.id, o.prediction_id, o.label, o.source, o.time_us, o.received_us,
          coalesce((SELECT min(p.feature) FROM predictions p WHERE p.id = o.prediction_id), ''), NULL FROM outcomes o;
        CREATE TABLE feedback_v2 {{Feedback}};
        INSERT INTO feedback_v2 SELECT f.id, f.prediction_id, f.kind, f.time_us, f.received_us,
          coalesce((SELECT min(p.feature) FROM predictions p WHERE p.id = f.prediction_id), ''), f.edit_distance, f.final_length FROM feedback f;
        CREATE TABLE business_v2 {{Business}};
        INSERT INTO business_v2 SELECT b.id, b.name, b.value, b.prediction_id,
          coalesce(b.feature, (SELECT min(p.feature) FROM predictions p WHERE p.id = b.prediction_id), ''), b.time_us, b.received_us FROM business b;
        CREATE TABLE review_items_v2 {{ReviewItems}};
        ALTER TABLE review_items_v2 ADD COLUMN opinions INTEGER DEFAULT 1;
        ALTER TABLE review_items_v2 ADD COLUMN escalated_because VARCHAR;
        INSERT INTO review_items_v2 SELECT prediction_id, feature, reason, routed_us, status, claimed_by, claim_expires_us, opinions, escalated_because FROM review_items;
        DROP TABLE stage_predictions; DROP TABLE stage_outcomes; DROP TABLE stage_feedback; DROP TABLE stage_business;
        DROP TABLE predictions; DROP TABLE outcomes; DROP TABLE feedback; DROP TABLE business; DROP TABLE review_items;
        ALTER TABLE predictions_v2 RENAME TO predictions;
        ALTER TABLE outcomes_v2 RENAME TO outcomes;
        ALTER TABLE feedback_v2 RENAME TO feedback;
        ALTER TABLE business_v2 RENAME TO business;
        ALTER TABLE review_items_v2 RENAME TO review_items;
        {{Staging}}
        COMMIT;
        """;

    /// <summary>True (one row) when the store was made with a primary key on (feature, id) of an event table.</summary>
    public const string HasEventKeys = """
        SELECT count(*) > 0 FROM duckdb_constraints() WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY'
          AND table_name IN ('predictions', 'outcomes', 'feedback', 'business')
        """;

    /// <summary>
    /// Moves a store whose event tables have a primary key to tables without one, in one transaction: DuckDB cannot drop
    /// a constraint, so each table is made again and its rows copied by column name (the columns keep their order).
    /// The store then has no key to find, so it migrates once.
    /// </summary>
    public const string DropEventKeys = $$"""
        BEGIN TRANSACTION;
        CREATE TABLE predictions_v3 {{Predictions}};
        INSERT INTO predictions_v3 BY NAME SELECT * FROM predictions;
        CREATE TABLE outcomes_v3 {{Outcomes}};
        INSERT INTO outcomes_v3 BY NAME SELECT * FROM outcomes;
        CREATE TABLE feedback_v3 {{Feedback}};
        INSERT INTO feedback_v3 BY NAME SELECT * FROM feedback;
        CREATE TABLE business_v3 {{Business}};
        INSERT INTO business_v3 BY NAME SELECT * FROM business;
        DROP TABLE predictions; DROP TABLE outcomes; DROP TABLE feedback; DROP TABLE business;
        ALTER TABLE predictions_v3 RENAME TO predictions;
        ALTER TABLE outcomes_v3 RENAME TO outcomes;
        ALTER TABLE feedback_v3 RENAME TO feedback;
        ALTER TABLE business_v3 RENAME TO business;
        COMMIT;
        """;

    // Columns added after a store was first made: ADD COLUMN appends them in the order the tables above declare them, so
    // an upgraded table has the same columns in the same order as a new one (MigrateToFeatureIds and the appenders rely
    // on it). Old rows read them as NULL.
    private const string AddedColumns = """
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS output VARCHAR;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS input_tokens BIGINT;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS output_tokens BIGINT;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS conversation_id VARCHAR;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS model VARCHAR;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS error VARCHAR;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS workflow_route VARCHAR;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS workflow_attempts BIGINT;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS workflow_failed_checks VARCHAR;
        ALTER TABLE predictions ADD COLUMN IF NOT EXISTS workflow_reason VARCHAR;
        ALTER TABLE feedback ADD COLUMN IF NOT EXISTS edit_distance BIGINT;
        ALTER TABLE feedback ADD COLUMN IF NOT EXISTS final_length BIGINT;
        ALTER TABLE outcomes ADD COLUMN IF NOT EXISTS prediction_hour BIGINT;
        """;

    // Staging tables take the event tables' columns without their constraints: a feature left out is filled in before the move.
    // They hold nothing between appends, so they are made again on every open and follow the tables' columns.
    private const string Staging = """
        CREATE TABLE IF NOT EXISTS stage_predictions AS SELECT * FROM predictions LIMIT 0;
        CREATE TABLE IF NOT EXISTS stage_outcomes AS SELECT * FROM outcomes LIMIT 0;
        CREATE TABLE IF NOT EXISTS stage_feedback AS SELECT * FROM feedback LIMIT 0;
        CREATE TABLE IF NOT EXISTS stage_business AS SELECT * FROM business LIMIT 0;
        CREATE TABLE IF NOT EXISTS stage_links (feature VARCHAR, id VARCHAR, hour BIGINT);
        """;

    public const string Create = $$"""
        CREATE TABLE IF NOT EXISTS contracts (
          feature VARCHAR NOT NULL, version INTEGER NOT NULL, yaml VARCHAR NOT NULL,
          changed_by VARCHAR NOT NULL, changed_at_us BIGINT NOT NULL, PRIMARY KEY (feature, version));
        CREATE TABLE IF NOT EXISTS api_keys (
          id VARCHAR PRIMARY KEY, hash VARCHAR NOT NULL UNIQUE, role VARCHAR NOT NULL, name VARCHAR NOT NULL, created_at_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS users (
          name_key VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
          stamp VARCHAR NOT NULL, created_at_us BIGINT NOT NULL, password_changed_at_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS predictions {{Predictions}};
        CREATE TABLE IF NOT EXISTS outcomes {{Outcomes}};
        CREATE TABLE IF NOT EXISTS feedback {{Feedback}};
        CREATE TABLE IF NOT EXISTS business {{Business}};
        {{AddedColumns}}
        CREATE TABLE IF NOT EXISTS alert_states (
          feature VARCHAR NOT NULL, check_name VARCHAR NOT NULL, state VARCHAR NOT NULL, window_start_us BIGINT NOT NULL,
          statement VARCHAR NOT NULL, updated_us BIGINT NOT NULL, PRIMARY KEY (feature, check_name));
        CREATE SEQUENCE IF NOT EXISTS alert_event_ids;
        CREATE TABLE IF NOT EXISTS alert_events (
          id BIGINT PRIMARY KEY DEFAULT nextval('alert_event_ids'), feature VARCHAR NOT NULL, check_name VARCHAR NOT NULL,
          state VARCHAR NOT NULL, previous VARCHAR NOT NULL, window_start_us BIGINT NOT NULL, statement VARCHAR NOT NULL,
          created_us BIGINT NOT NULL, delivery VARCHAR NOT NULL, attempts INTEGER NOT NULL);
        ALTER TABLE alert_events ADD COLUMN IF NOT EXISTS delivery_reason VARCHAR;
        ALTER TABLE alert_states ADD COLUMN IF NOT EXISTS judged_from_us BIGINT;
        ALTER TABLE alert_states ADD COLUMN IF NOT EXISTS judged_to_us BIGINT;
        ALTER TABLE alert_events ADD COLUMN IF NOT EXISTS judged_from_us BIGINT;
        ALTER TABLE alert_events ADD COLUMN IF NOT EXISTS judged_to_us BIGINT;
        CREATE SEQUENCE IF NOT EXISTS change_seq;
        CREATE TABLE IF NOT EXISTS changed_hours (feature VARCHAR NOT NULL, hour BIGINT NOT NULL, change BIGINT NOT NULL, PRIMARY KEY (feature, hour));
        CREATE TABLE IF NOT EXISTS window_reports (
          feature VARCHAR NOT NULL, window_start_us BIGINT NOT NULL, window_us BIGINT NOT NULL, contract_version INTEGER NOT NULL,
          resamples INTEGER NOT NULL, as_of BIGINT NOT NULL, computed_us BIGINT NOT NULL, report VARCHAR NOT NULL,
          PRIMARY KEY (feature, window_start_us, window_us, contract_version, resamples));
        ALTER TABLE window_reports ADD COLUMN IF NOT EXISTS summary BLOB;
        CREATE TABLE IF NOT EXISTS review_items {{ReviewItems}};
        CREATE SEQUENCE IF NOT EXISTS review_decision_ids START 1;
        CREATE TABLE IF NOT EXISTS review_decisions (
          id BIGINT PRIMARY KEY DEFAULT nextval('review_decision_ids'), prediction_id VARCHAR NOT NULL, feature VARCHAR NOT NULL,
          reviewer VARCHAR NOT NULL, decision VARCHAR NOT NULL, label VARCHAR, category VARCHAR, note VARCHAR, decided_us BIGINT NOT NULL);
        ALTER TABLE review_items ADD COLUMN IF NOT EXISTS opinions INTEGER DEFAULT 1;
        ALTER TABLE review_items ADD COLUMN IF NOT EXISTS escalated_because VARCHAR;
        ALTER TABLE review_decisions ADD COLUMN IF NOT EXISTS final BOOLEAN DEFAULT true;
        ALTER TABLE review_decisions ADD COLUMN IF NOT EXISTS grades VARCHAR;
        CREATE TABLE IF NOT EXISTS model_grades (
          feature VARCHAR NOT NULL, output_id VARCHAR NOT NULL, criterion VARCHAR NOT NULL, grade INTEGER, reason VARCHAR NOT NULL,
          model VARCHAR NOT NULL, input_tokens BIGINT, output_tokens BIGINT, cost DOUBLE, latency_us BIGINT NOT NULL,
          predicted_us BIGINT NOT NULL, graded_us BIGINT NOT NULL, PRIMARY KEY (feature, output_id, criterion));
        CREATE TABLE IF NOT EXISTS review_routing (feature VARCHAR PRIMARY KEY, routed_until_us BIGINT NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS evaluation_run_ids START 1;
        CREATE TABLE IF NOT EXISTS evaluation_runs (
          id BIGINT PRIMARY KEY DEFAULT nextval('evaluation_run_ids'), feature VARCHAR NOT NULL, contract_version INTEGER, name VARCHAR NOT NULL,
          uploaded_by VARCHAR NOT NULL, uploaded_us BIGINT NOT NULL, source VARCHAR NOT NULL, n BIGINT NOT NULL, verdict VARCHAR NOT NULL, report VARCHAR NOT NULL);
        CREATE TABLE IF NOT EXISTS ingest_log (id INTEGER PRIMARY KEY, position BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS dedup_horizon (id INTEGER PRIMARY KEY, smallest_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS calibrations (
          feature VARCHAR PRIMARY KEY, from_us BIGINT NOT NULL, to_us BIGINT NOT NULL, n BIGINT NOT NULL, fitted_by VARCHAR NOT NULL, fitted_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS fitted_calibrations (
          feature VARCHAR NOT NULL, contract_version INTEGER NOT NULL, fit VARCHAR NOT NULL, calibration BLOB NOT NULL, n BIGINT NOT NULL,
          PRIMARY KEY (feature, contract_version));
        DROP TABLE IF EXISTS stage_predictions; DROP TABLE IF EXISTS stage_outcomes; DROP TABLE IF EXISTS stage_feedback;
        {{Staging}}
        """;

    /// <summary>
    /// Per table, how an append marks the hours whose predictions it changed (new predictions, new labels, feedback on
    /// an output, which a generative window counts), with the
    /// append's change number: a stored window report is current while no hour of its window changed after it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MarkChanged = new Dictionary<string, string>
    {
        ["predictions"] =
            "INSERT OR REPLACE INTO changed_hours SELECT DISTINCT feature, time_us // 3600000000, $change FROM stage_predictions",
        ["outcomes"] =
            "INSERT OR REPLACE INTO changed_hours SELECT DISTINCT l.feature, l.hour, $change FROM stage_outcomes o JOIN stage_links l ON l.feature = o.feature AND l.id = o.prediction_id",
        ["feedback"] =
            "INSERT OR REPLACE INTO changed_hours SELECT DISTINCT l.feature, l.hour, $change FROM stage_feedback f JOIN stage_links l ON l.feature = f.feature AND l.id = f.prediction_id",
    };

    /// <summary>The event tables whose rows name a prediction: outcomes, feedback, business results.</summary>
    private static readonly string[] NamingTables = ["outcomes", "feedback", "business"];

    /// <summary>Each of <see cref="NamingTables"/> with its SQL.</summary>
    private static Dictionary<string, string> PerNamingTable(Func<string, string> sql) =>
        NamingTables.ToDictionary(table => table, sql);

    /// <summary>
    /// Per table whose rows name a prediction, how an append finds the stored predictions its staged rows name, of every
    /// feature, with the hour of each, into <c>stage_links</c>, once predictions are moved: <see cref="FillFeature"/> and
    /// <see cref="MarkChanged"/> then join the small staged rows to these few links instead of each joining them to every
    /// stored prediction (one scan of the predictions' ids per load, not two). The staged side is the hash join's build
    /// side, so memory follows the batch, not the history.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FindLinks = PerNamingTable(table =>
        $"INSERT INTO stage_links SELECT DISTINCT p.feature, p.id, p.time_us // 3600000000 FROM predictions p WHERE p.id IN (SELECT prediction_id FROM stage_{table} WHERE prediction_id IS NOT NULL)"
    );

    /// <summary>
    /// Per table, how an append fills in the feature of an outcome, feedback or business result sent without one (an
    /// older ingest log, a direct writer): the feature of the prediction it names (found by <see cref="FindLinks"/>, once
    /// predictions are moved); '' when none.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FillFeature = PerNamingTable(table =>
        $"UPDATE stage_{table} s SET feature = coalesce((SELECT min(l.feature) FROM stage_links l WHERE l.id = s.prediction_id), '') WHERE s.feature IS NULL"
    );

    /// <summary>
    /// How an append gives each staged outcome the hour of the prediction it names (found by <see cref="FindLinks"/>), once
    /// its feature is known: the window reads then skip, by the row groups' zone maps, the outcomes of every other hour
    /// instead of reading each stored outcome's id (at 30,000,000 outcomes, 1.5 s of a window's 3). NULL, which every read
    /// takes, when no prediction is stored yet or the id is stored at several hours.
    /// </summary>
    public const string FillPredictionHour =
        "UPDATE stage_outcomes s SET prediction_hour = (SELECT CASE WHEN count(DISTINCT l.hour) = 1 THEN min(l.hour) END FROM stage_links l WHERE l.feature = s.feature AND l.id = s.prediction_id)";

    /// <summary>
    /// How an append moves the staged rows of <paramref name="table"/>: one row per (feature, id) of the batch, less
    /// those whose id was received after <c>$since</c> (the append's receipt time less the dedup horizon), which
    /// makes a delivery within the horizon a no-op. The filter on received_us is a constant comparison DuckDB pushes into
    /// the scan, where each row group's zone map (its least and greatest received_us) skips the groups received before
    /// the horizon: rows are appended in receipt order, so only the horizon's groups are read. Profiled on DuckDB 1.5.6
    /// with 1,000,000 predictions received over 100 days and a 7-day horizon: the scan of predictions carried the filter
    /// received_us>… and read 139,840 rows (the last two row groups, which hold the 7 days' 70,000), not 1,000,000; the
    /// ids were matched in a hash join whose other side is the batch's distinct (feature, id), so memory follows the
    /// batch, not the history.
    /// </summary>
    public static string MoveNew(string table) =>
        $"INSERT INTO {table} SELECT * FROM (SELECT DISTINCT ON (feature, id) * FROM stage_{table}) s "
        + $"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.received_us > $since AND t.feature = s.feature AND t.id = s.id)";

    /// <summary>
    /// SQL (a parenthesized subquery) for the rows of an event table that <paramref name="condition"/> selects, each
    /// (feature, id) once: the row with the earliest time, and of copies at the same time (a retry) the first received.
    /// Within the dedup horizon an id is stored once; a delivery beyond it is a second row, which no reader may count,
    /// join or key twice. Grouping costs several times a plain read, so this is for readers of a few rows: the condition
    /// narrows them first (to the ids a small table names); the large reads drop repeats as they read.
    /// </summary>
    public static string FirstReceived(string table, string condition) =>
        $"(SELECT DISTINCT ON (feature, id) * FROM {table} WHERE {condition} ORDER BY feature, id, time_us, received_us)";

    /// <summary>
    /// Keeps the smallest dedup horizon the store was ever opened with (<c>$horizon</c>, in microseconds): two rows of
    /// one id were received at least that far apart, so a range whose rows were all received closer together holds no
    /// copies. A store that already holds predictions when this is first recorded was filled under horizons no one
    /// wrote down: 0, which never skips the copies check.
    /// </summary>
    public static readonly string[] KeepSmallestHorizon =
    [
        "INSERT INTO dedup_horizon SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM predictions) THEN 0 ELSE $horizon::BIGINT END WHERE NOT EXISTS (SELECT 1 FROM dedup_horizon)",
        "UPDATE dedup_horizon SET smallest_us = least(smallest_us, $horizon::BIGINT)",
    ];

    public const string ClearStaging = """
        DELETE FROM stage_predictions; DELETE FROM stage_outcomes; DELETE FROM stage_feedback; DELETE FROM stage_business;
        DELETE FROM stage_links;
        """;
}
