namespace Overlap.Storage.Postgres;

/// <summary>
/// The PostgreSQL tables, as numbered migrations applied in order at open (each in its own transaction, recorded in
/// <c>schema_migrations</c>). A migration once released is never edited: a change is a new migration at the end.
/// Times are <c>timestamptz</c> (microseconds, as <see cref="Core.Timestamps.UnixMicroseconds"/> keeps them);
/// reports are <c>json</c>, which keeps the document's text as written (<c>jsonb</c> would reorder its keys).
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The migrations, by version from 1.</summary>
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(
            1,
            "the state tables",
            """
            CREATE TABLE contracts (
              feature text NOT NULL, version integer NOT NULL, yaml text NOT NULL, changed_by text NOT NULL,
              changed_at timestamptz NOT NULL, PRIMARY KEY (feature, version));
            CREATE TABLE users (
              name_key text PRIMARY KEY, name text NOT NULL, role text NOT NULL, password_hash text NOT NULL,
              stamp text NOT NULL, created_at timestamptz NOT NULL, password_changed_at timestamptz NOT NULL);
            CREATE TABLE api_keys (
              id text PRIMARY KEY, hash text NOT NULL UNIQUE, role text NOT NULL, name text NOT NULL,
              created_at timestamptz NOT NULL, expires_at timestamptz, last_used_at timestamptz, revoked_at timestamptz);
            CREATE TABLE sessions (
              id_hash text PRIMARY KEY, subject text NOT NULL, created_at timestamptz NOT NULL,
              expires_at timestamptz NOT NULL, revoked_at timestamptz, ticket bytea NOT NULL);
            CREATE INDEX sessions_by_subject ON sessions (subject);
            CREATE TABLE alert_states (
              feature text NOT NULL, check_name text NOT NULL, state text NOT NULL, window_start timestamptz NOT NULL,
              statement text NOT NULL, updated_at timestamptz NOT NULL, judged_from timestamptz, judged_to timestamptz,
              PRIMARY KEY (feature, check_name));
            CREATE TABLE alert_events (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, feature text NOT NULL, check_name text NOT NULL,
              state text NOT NULL, previous text NOT NULL, window_start timestamptz NOT NULL, statement text NOT NULL,
              created_at timestamptz NOT NULL, delivery text NOT NULL, attempts integer NOT NULL, delivery_reason text,
              judged_from timestamptz, judged_to timestamptz);
            CREATE INDEX alert_events_by_feature ON alert_events (feature, id DESC);
            CREATE TABLE evaluation_runs (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, feature text NOT NULL, contract_version integer,
              name text NOT NULL, uploaded_by text NOT NULL, uploaded_at timestamptz NOT NULL, source text NOT NULL,
              n bigint NOT NULL, verdict text NOT NULL, report json NOT NULL);
            CREATE INDEX evaluation_runs_by_feature ON evaluation_runs (feature, id DESC);
            CREATE TABLE window_reports (
              feature text NOT NULL, window_start timestamptz NOT NULL, window_us bigint NOT NULL,
              contract_version integer NOT NULL, resamples integer NOT NULL, as_of bigint NOT NULL,
              computed_at timestamptz NOT NULL, report json NOT NULL, summary bytea,
              PRIMARY KEY (feature, window_us, contract_version, resamples, window_start));
            CREATE TABLE calibrations (
              feature text PRIMARY KEY, period_from timestamptz NOT NULL, period_to timestamptz NOT NULL,
              n bigint NOT NULL, fitted_by text NOT NULL, fitted_at timestamptz NOT NULL);
            CREATE TABLE model_grades (
              feature text NOT NULL, output_id text NOT NULL, criterion text NOT NULL, grade integer,
              reason text NOT NULL, model text NOT NULL, input_tokens bigint, output_tokens bigint,
              cost double precision, latency_us bigint NOT NULL, predicted_at timestamptz NOT NULL,
              graded_at timestamptz NOT NULL, PRIMARY KEY (feature, output_id, criterion));
            CREATE INDEX model_grades_by_prediction_time ON model_grades (feature, predicted_at);
            CREATE INDEX model_grades_by_grading_time ON model_grades (feature, graded_at);
            """
        ),
        new(
            2,
            "the review queue and the routing and judging positions",
            """
            CREATE TABLE review_items (
              feature text NOT NULL, prediction_id text NOT NULL, reason text NOT NULL, routed_at timestamptz NOT NULL,
              status text NOT NULL, claimed_by text, claim_expires timestamptz, opinions integer NOT NULL,
              escalated_because text, prediction_time timestamptz NOT NULL, received_at timestamptz NOT NULL,
              score double precision, prediction text, inputs text, attributes text, output text,
              PRIMARY KEY (feature, prediction_id));
            CREATE INDEX review_items_by_status ON review_items (feature, status, routed_at);
            CREATE TABLE review_decisions (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, feature text NOT NULL, prediction_id text NOT NULL,
              reviewer text NOT NULL, decision text NOT NULL, label text, category text, note text,
              decided_at timestamptz NOT NULL, final boolean NOT NULL, grades text,
              recorded boolean NOT NULL DEFAULT false);
            CREATE INDEX review_decisions_by_item ON review_decisions (feature, prediction_id, id);
            CREATE INDEX review_decisions_by_time ON review_decisions (feature, decided_at);
            CREATE INDEX review_decisions_unrecorded ON review_decisions (id)
              WHERE final AND label IS NOT NULL AND NOT recorded;
            CREATE TABLE review_routing (feature text PRIMARY KEY, routed_until timestamptz NOT NULL);
            CREATE TABLE judge_positions (
              feature text NOT NULL, salt text NOT NULL, share double precision NOT NULL,
              received_at timestamptz NOT NULL, prediction_id text NOT NULL, PRIMARY KEY (feature, salt));
            """
        ),
        new(
            3,
            "the dashboard's cookie keys",
            """
            CREATE TABLE cookie_keys (
              name text PRIMARY KEY, xml text NOT NULL, added timestamptz NOT NULL DEFAULT now());
            """
        ),
        new(
            4,
            "the audit log",
            """
            CREATE TABLE audit_log (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL,
              role text NOT NULL, action text NOT NULL, target text NOT NULL, feature text, status integer NOT NULL,
              detail text);
            CREATE INDEX audit_log_by_feature ON audit_log (feature, id DESC);
            """
        ),
        new(
            5,
            "why the workflow's guard sent a call to people",
            """
            ALTER TABLE review_items ADD COLUMN workflow_reason text;
            """
        ),
        new(
            6,
            "the privacy key every instance hashes with",
            """
            CREATE TABLE privacy_key (
              one boolean PRIMARY KEY DEFAULT true CHECK (one), key text NOT NULL,
              added timestamptz NOT NULL DEFAULT now());
            """
        ),
        new(
            7,
            "the score calibration one instance fitted, for the others to read",
            """
            CREATE TABLE fitted_calibrations (
              feature text NOT NULL, contract_version integer NOT NULL, fit text NOT NULL, calibration bytea NOT NULL,
              n bigint NOT NULL, PRIMARY KEY (feature, contract_version));
            """
        ),
    ];

    /// <summary>The version a store is at once every migration ran.</summary>
    public static int Latest => Migrations[^1].Version;
}

/// <summary>One schema migration: its version, what it does in a few words, and its SQL (run in one transaction).</summary>
internal sealed record Migration(int Version, string Description, string Sql);
