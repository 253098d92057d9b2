using Overlap.Core.Monitoring;
using Overlap.Core.Text;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<AlertStateRecord>> GetAlertStatesAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT feature, check_name, state, window_start_us, statement, updated_us, judged_from_us, judged_to_us FROM alert_states WHERE feature = $feature ORDER BY check_name",
            r => new AlertStateRecord(
                r.GetString(0),
                r.GetString(1),
                WireName.Parse<AlertState>(r.GetString(2)),
                UnixMicroseconds.ToTime(r.GetInt64(3)),
                r.GetString(4),
                UnixMicroseconds.ToTime(r.GetInt64(5)),
                OptionalTime(r, 6),
                OptionalTime(r, 7)
            ),
            cancellationToken,
            ("feature", feature)
        );

    /// <inheritdoc />
    public Task SaveAlertStateAsync(AlertStateRecord state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(
            "INSERT OR REPLACE INTO alert_states (feature, check_name, state, window_start_us, statement, updated_us, judged_from_us, judged_to_us) "
                + "VALUES ($feature, $check, $state, $window, $statement, $updated, $from, $to)",
            cancellationToken,
            ("feature", state.Feature),
            ("check", state.Check),
            ("state", WireName.Of(state.State)),
            ("window", UnixMicroseconds.From(state.WindowStart)),
            ("statement", state.Statement),
            ("updated", UnixMicroseconds.From(state.UpdatedAt)),
            ("from", OptionalMicroseconds(state.JudgedFrom)),
            ("to", OptionalMicroseconds(state.JudgedTo))
        );
    }

    /// <inheritdoc />
    public async Task<AlertEventRecord> AddAlertEventAsync(
        AlertEventRecord alert,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(alert);
        var id = await InsertReturningAsync(
                "INSERT INTO alert_events (feature, check_name, state, previous, window_start_us, statement, created_us, delivery, attempts, judged_from_us, judged_to_us) "
                    + "VALUES ($feature, $check, $state, $previous, $window, $statement, $created, $delivery, $attempts, $from, $to) RETURNING id",
                cancellationToken,
                ("feature", alert.Feature),
                ("check", alert.Check),
                ("state", WireName.Of(alert.State)),
                ("previous", WireName.Of(alert.Previous)),
                ("window", UnixMicroseconds.From(alert.WindowStart)),
                ("statement", alert.Statement),
                ("created", UnixMicroseconds.From(alert.CreatedAt)),
                ("delivery", alert.Delivery),
                ("attempts", alert.Attempts),
                ("from", OptionalMicroseconds(alert.JudgedFrom)),
                ("to", OptionalMicroseconds(alert.JudgedTo))
            )
            .ConfigureAwait(false);
        return alert with { Id = id };
    }

    /// <inheritdoc />
    public Task SetAlertDeliveryAsync(
        long id,
        string delivery,
        int attempts,
        string? reason,
        CancellationToken cancellationToken = default
    ) =>
        WriteAsync(
            "UPDATE alert_events SET delivery = $delivery, attempts = $attempts, delivery_reason = $reason WHERE id = $id",
            cancellationToken,
            ("delivery", delivery),
            ("attempts", attempts),
            ("reason", (object?)reason ?? DBNull.Value),
            ("id", id)
        );

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertEventRecord>> ListAlertEventsAsync(
        string feature,
        int limit,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT id, feature, check_name, state, previous, window_start_us, statement, created_us, delivery, attempts, delivery_reason, judged_from_us, judged_to_us FROM alert_events WHERE feature = $feature ORDER BY id DESC LIMIT $limit",
            r => new AlertEventRecord(
                r.GetInt64(0),
                r.GetString(1),
                r.GetString(2),
                WireName.Parse<AlertState>(r.GetString(3)),
                WireName.Parse<AlertState>(r.GetString(4)),
                UnixMicroseconds.ToTime(r.GetInt64(5)),
                r.GetString(6),
                UnixMicroseconds.ToTime(r.GetInt64(7)),
                r.GetString(8),
                r.GetInt32(9),
                r.IsDBNull(10) ? null : r.GetString(10),
                OptionalTime(r, 11),
                OptionalTime(r, 12)
            ),
            cancellationToken,
            ("feature", feature),
            ("limit", limit)
        );
}
