namespace Overlap.Storage;

/// <summary>The DuckDB tables. Times are microseconds since the Unix epoch (UTC); JSON objects are kept as text.</summary>
internal static partial class StoreSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS contracts (
          feature VARCHAR NOT NULL, version INTEGER NOT NULL, yaml VARCHAR NOT NULL,
          changed_by VARCHAR NOT NULL, changed_at_us BIGINT NOT NULL, PRIMARY KEY (feature, version));
        CREATE TABLE IF NOT EXISTS api_keys (
          id VARCHAR PRIMARY KEY, hash VARCHAR NOT NULL UNIQUE, role VARCHAR NOT NULL, name VARCHAR NOT NULL, created_at_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS users (
          name_key VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
          stamp VARCHAR NOT NULL, created_at_us BIGINT NOT NULL, password_changed_at_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS predictions (
          id VARCHAR PRIMARY KEY, feature VARCHAR NOT NULL, time_us BIGINT NOT NULL, model_version VARCHAR, score DOUBLE,
          prediction VARCHAR, latency_ms DOUBLE, cost DOUBLE, inputs VARCHAR, attributes VARCHAR, received_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS outcomes (
          id VARCHAR PRIMARY KEY, prediction_id VARCHAR NOT NULL, label VARCHAR NOT NULL, source VARCHAR,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS feedback (
          id VARCHAR PRIMARY KEY, prediction_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, time_us BIGINT NOT NULL, received_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS business (
          id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, value DOUBLE NOT NULL, prediction_id VARCHAR, feature VARCHAR,
          time_us BIGINT NOT NULL, received_us BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS alert_states (
          feature VARCHAR NOT NULL, check_name VARCHAR NOT NULL, state VARCHAR NOT NULL, window_start_us BIGINT NOT NULL,
          statement VARCHAR NOT NULL, updated_us BIGINT NOT NULL, PRIMARY KEY (feature, check_name));
        CREATE SEQUENCE IF NOT EXISTS alert_event_ids;
        CREATE TABLE IF NOT EXISTS alert_events (
          id BIGINT PRIMARY KEY DEFAULT nextval('alert_event_ids'), feature VARCHAR NOT NULL, check_name VARCHAR NOT NULL,
          state VARCHAR NOT NULL, previous VARCHAR NOT NULL, window_start_us BIGINT NOT NULL, statement VARCHAR NOT NULL,
          created_us BIGINT NOT NULL, delivery VARCHAR NOT NULL, attempts INTEGER NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS change_seq;
        CREATE TABLE IF NOT EXISTS changed_hours (feature VARCHAR NOT NULL, hour BIGINT NOT NULL, change BIGINT NOT NULL, PRIMARY KEY (feature, hour));
        CREATE TABLE IF NOT EXISTS window_reports (
          feature VARCHAR NOT NULL, window_start_us BIGINT NOT NULL, window_us BIGINT NOT NULL, contract_version INTEGER NOT NULL,
          resamples INTEGER NOT NULL, as_of BIGINT NOT NULL, computed_us BIGINT NOT NULL, report VARCHAR NOT NULL,
          PRIMARY KEY (feature, window_start_us, window_us, contract_version, resamples));
        ALTER TABLE window_reports ADD COLUMN IF NOT EXISTS summary BLOB;
        CREATE TABLE IF NOT EXISTS review_items (
          prediction_id VARCHAR PRIMARY KEY, feature VARCHAR NOT NULL, reason VARCHAR NOT NULL, routed_us BIGINT NOT NULL,
          status VARCHAR NOT NULL, claimed_by VARCHAR, claim_expires_us BIGINT);
        CREATE SEQUENCE IF NOT EXISTS review_decision_ids START 1;
        CREATE TABLE IF NOT EXISTS review_decisions (
          id BIGINT PRIMARY KEY DEFAULT nextval('review_decision_ids'), prediction_id VARCHAR NOT NULL, feature VARCHAR NOT NULL,
          reviewer VARCHAR NOT NULL, decision VARCHAR NOT NULL, label VARCHAR, category VARCHAR, note VARCHAR, decided_us BIGINT NOT NULL);
        ALTER TABLE review_items ADD COLUMN IF NOT EXISTS opinions INTEGER DEFAULT 1;
        ALTER TABLE review_items ADD COLUMN IF NOT EXISTS escalated_because VARCHAR;
        ALTER TABLE review_decisions ADD COLUMN IF NOT EXISTS final BOOLEAN DEFAULT true;
        CREATE TABLE IF NOT EXISTS review_routing (feature VARCHAR PRIMARY KEY, routed_until_us BIGINT NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS evaluation_run_ids START 1;
        CREATE TABLE IF NOT EXISTS evaluation_runs (
          id BIGINT PRIMARY KEY DEFAULT nextval('evaluation_run_ids'), feature VARCHAR NOT NULL, contract_version INTEGER, name VARCHAR NOT NULL,
          uploaded_by VARCHAR NOT NULL, uploaded_us BIGINT NOT NULL, source VARCHAR NOT NULL, n BIGINT NOT NULL, verdict VARCHAR NOT NULL, report VARCHAR NOT NULL);
        CREATE TABLE IF NOT EXISTS ingest_log (id INTEGER PRIMARY KEY, position BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS stage_predictions AS SELECT * FROM predictions LIMIT 0;
        CREATE TABLE IF NOT EXISTS stage_outcomes AS SELECT * FROM outcomes LIMIT 0;
        CREATE TABLE IF NOT EXISTS stage_feedback AS SELECT * FROM feedback LIMIT 0;
        CREATE TABLE IF NOT EXISTS stage_business AS SELECT * FROM business LIMIT 0;
        """;

    /// <summary>
    /// Per table, how an append marks the hours whose predictions it changed (new predictions, new labels), with the
    /// append's change number: a stored window report is current while no hour of its window changed after it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MarkChanged = new Dictionary<string, string>
    {
        ["predictions"] = "INSERT OR REPLACE INTO changed_hours SELECT DISTINCT feature, time_us // 3600000000, $change FROM stage_predictions",
        ["outcomes"] = "INSERT OR REPLACE INTO changed_hours SELECT DISTINCT p.feature, p.time_us // 3600000000, $change FROM stage_outcomes o JOIN predictions p ON p.id = o.prediction_id",
    };

    public const string ClearStaging = """
        DELETE FROM stage_predictions; DELETE FROM stage_outcomes; DELETE FROM stage_feedback; DELETE FROM stage_business;
        """;
}
