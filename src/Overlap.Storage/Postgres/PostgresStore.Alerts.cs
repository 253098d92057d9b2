using Overlap.Core.Monitoring;
using Overlap.Core.Text;

namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<AlertStateRecord>> GetAlertStatesAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT feature, check_name, state, window_start, statement, updated_at, judged_from, judged_to "
                + "FROM alert_states WHERE feature = @feature ORDER BY check_name COLLATE \"C\"",
            r => new AlertStateRecord(
                r.GetString(0),
                r.GetString(1),
                WireName.Parse<AlertState>(r.GetString(2)),
                Time(r, 3),
                r.GetString(4),
                Time(r, 5),
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
            """
            INSERT INTO alert_states (feature, check_name, state, window_start, statement, updated_at, judged_from, judged_to)
            VALUES (@feature, @check, @state, @window, @statement, @updated, @from, @to)
            ON CONFLICT (feature, check_name) DO UPDATE SET state = excluded.state, window_start = excluded.window_start,
              statement = excluded.statement, updated_at = excluded.updated_at, judged_from = excluded.judged_from,
              judged_to = excluded.judged_to
            """,
            cancellationToken,
            ("feature", state.Feature),
            ("check", state.Check),
            ("state", WireName.Of(state.State)),
            ("window", state.WindowStart),
            ("statement", state.Statement),
            ("updated", state.UpdatedAt),
            ("from", state.JudgedFrom),
            ("to", state.JudgedTo)
        );
    }

    /// <inheritdoc />
    public async Task<AlertEventRecord> AddAlertEventAsync(
        AlertEventRecord alert,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(alert);
        var id = await ScalarAsync(
                """
                INSERT INTO alert_events (feature, check_name, state, previous, window_start, statement, created_at,
                  delivery, attempts, delivery_reason, judged_from, judged_to)
                VALUES (@feature, @check, @state, @previous, @window, @statement, @created, @delivery, @attempts,
                  @reason, @from, @to)
                RETURNING id
                """,
                cancellationToken,
                ("feature", alert.Feature),
                ("check", alert.Check),
                ("state", WireName.Of(alert.State)),
                ("previous", WireName.Of(alert.Previous)),
                ("window", alert.WindowStart),
                ("statement", alert.Statement),
                ("created", alert.CreatedAt),
                ("delivery", alert.Delivery),
                ("attempts", alert.Attempts),
                ("reason", alert.DeliveryReason),
                ("from", alert.JudgedFrom),
                ("to", alert.JudgedTo)
            )
            .ConfigureAwait(false);
        return alert with { Id = (long)id! };
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
            "UPDATE alert_events SET delivery = @delivery, attempts = @attempts, delivery_reason = @reason WHERE id = @id",
            cancellationToken,
            ("delivery", delivery),
            ("attempts", attempts),
            ("reason", reason),
            ("id", id)
        );

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertEventRecord>> ListAlertEventsAsync(
        string feature,
        int limit,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT id, feature, check_name, state, previous, window_start, statement, created_at, delivery, attempts, "
                + "delivery_reason, judged_from, judged_to FROM alert_events WHERE feature = @feature "
                + "ORDER BY id DESC LIMIT @limit",
            r => new AlertEventRecord(
                r.GetInt64(0),
                r.GetString(1),
                r.GetString(2),
                WireName.Parse<AlertState>(r.GetString(3)),
                WireName.Parse<AlertState>(r.GetString(4)),
                Time(r, 5),
                r.GetString(6),
                Time(r, 7),
                r.GetString(8),
                r.GetInt32(9),
                OptionalText(r, 10),
                OptionalTime(r, 11),
                OptionalTime(r, 12)
            ),
            cancellationToken,
            ("feature", feature),
            ("limit", limit)
        );
}
