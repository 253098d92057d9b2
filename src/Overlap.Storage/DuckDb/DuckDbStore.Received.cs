using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<StoredPrediction>> PredictionsAfterAsync(
        string feature,
        ReceivedPosition after,
        int limit,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return QueryAsync(
            "SELECT id, time_us, received_us, CASE WHEN isfinite(score) THEN score END, prediction, inputs, "
                + "attributes, output, workflow_route, workflow_attempts, workflow_failed_checks, workflow_reason "
                + "FROM predictions p WHERE feature = $feature "
                + "AND (received_us > $received OR (received_us = $received AND id > $id)) "
                // An id stored again beyond the dedup horizon is read once, as StoreSchema.FirstReceived picks it.
                + "AND NOT EXISTS (SELECT 1 FROM predictions q WHERE q.feature = $feature AND q.id = p.id "
                + "AND (q.time_us < p.time_us OR (q.time_us = p.time_us AND q.received_us < p.received_us))) "
                + "ORDER BY received_us, id LIMIT $limit",
            r => new StoredPrediction(
                r.GetString(0),
                UnixMicroseconds.ToTime(r.GetInt64(1)),
                UnixMicroseconds.ToTime(r.GetInt64(2)),
                r.IsDBNull(3) ? null : r.GetDouble(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                WorkflowColumns.Read(
                    r.IsDBNull(8) ? null : r.GetString(8),
                    r.IsDBNull(9) ? null : r.GetInt64(9),
                    r.IsDBNull(10) ? null : r.GetString(10),
                    r.IsDBNull(11) ? null : r.GetString(11)
                )
            ),
            cancellationToken,
            ("feature", feature),
            ("received", UnixMicroseconds.From(after.Received)),
            ("id", after.Id ?? ""),
            ("limit", limit)
        );
    }
}
