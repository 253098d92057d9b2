namespace Overlap.Storage.DuckDb;

internal static partial class StoreSchema
{
    /// <summary>
    /// Keys' expiry, last use and revocation (added in place, so a store from before opens as it was), and the
    /// dashboard's sessions: a row per sign-in, found by the SHA-256 of the id the cookie carries; and the audit log.
    /// </summary>
    public const string Access = """
        ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS expires_at_us BIGINT;
        ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS last_used_us BIGINT;
        ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS revoked_at_us BIGINT;
        CREATE TABLE IF NOT EXISTS sessions (
          id_hash VARCHAR PRIMARY KEY, subject VARCHAR NOT NULL, created_at_us BIGINT NOT NULL, expires_at_us BIGINT NOT NULL,
          revoked_at_us BIGINT, ticket BLOB NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS audit_ids START 1;
        CREATE TABLE IF NOT EXISTS audit_log (
          id BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'), at_us BIGINT NOT NULL, actor VARCHAR NOT NULL,
          role VARCHAR NOT NULL, action VARCHAR NOT NULL, target VARCHAR NOT NULL, feature VARCHAR, status INTEGER NOT NULL,
          detail VARCHAR);
        """;
}
