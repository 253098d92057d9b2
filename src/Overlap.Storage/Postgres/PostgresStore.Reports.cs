using Overlap.Core.Timestamps;

namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string ReportKey =
        "feature = @feature AND window_us = @window AND contract_version = @version AND resamples = @resamples";

    /// <summary>
    /// The advisory lock (two keys, as SQL naming <c>@feature</c>, here the window's whole key) a server holds while it
    /// computes a closed window; another that wants the same window waits for it, then reads the stored report.
    /// </summary>
    internal const string WindowLock = "hashtext('overlap window computation'), hashtext(@feature)";

    /// <summary>This process's gates in front of <see cref="WindowLock"/>.</summary>
    private readonly WindowGates _windowGates = new();

    /// <inheritdoc />
    /// <remarks>
    /// A session-level advisory lock on a connection of its own, kept until the hold is disposed (or the session ends,
    /// when the server holding it dies), taken by one request of this process at a time (<see cref="WindowGates"/>). The
    /// wait has no command timeout: at 10,000,000 predictions a day the holder computes for minutes; the caller's
    /// cancellation (a request that went away) ends it.
    /// </remarks>
    public async Task<IAsyncDisposable> HoldWindowAsync(
        string feature,
        DateTimeOffset start,
        TimeSpan window,
        int contractVersion,
        int resamples,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        return await HoldGatedAsync(
                WindowLock,
                WindowGates.Key(feature, start, window, contractVersion, resamples),
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Holds <paramref name="key"/> under the advisory lock <paramref name="lockKeys"/> (waiting for it), behind this
    /// process's gate for the key: requests here for one key wait on the gate, so only one of them holds a connection to
    /// wait on the lock another server holds (a cold window asked for by many pages at once would otherwise take a pooled
    /// connection each for minutes).
    /// </summary>
    private async Task<IAsyncDisposable> HoldGatedAsync(
        string lockKeys,
        string key,
        CancellationToken cancellationToken
    )
    {
        var gate = await _windowGates.EnterAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            var held = (await HoldAsync(lockKeys, key, cancellationToken, wait: true).ConfigureAwait(false))!;
            return new Both(held, gate);
        }
        catch
        {
            await gate.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The advisory lock (as <see cref="WindowLock"/>) a server holds while it fits a feature's score calibration.</summary>
    internal const string FitLock = "hashtext('overlap calibration fit'), hashtext(@feature)";

    /// <inheritdoc />
    public Task<IAsyncDisposable> HoldFitAsync(
        string feature,
        int contractVersion,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        return HoldGatedAsync(FitLock, WindowGates.FitKey(feature, contractVersion), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FittedCalibration?> GetFittedCalibrationAsync(
        string feature,
        int contractVersion,
        string fit,
        CancellationToken cancellationToken = default
    ) =>
        (
            await QueryAsync(
                    "SELECT calibration, n FROM fitted_calibrations "
                        + "WHERE feature = @feature AND contract_version = @version AND fit = @fit",
                    r => new FittedCalibration(r.GetFieldValue<byte[]>(0), r.GetInt64(1)),
                    cancellationToken,
                    ("feature", feature),
                    ("version", contractVersion),
                    ("fit", fit)
                )
                .ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    public Task SaveFittedCalibrationAsync(
        string feature,
        int contractVersion,
        string fit,
        FittedCalibration fitted,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(fitted);
        return WriteAsync(
            """
            INSERT INTO fitted_calibrations VALUES (@feature, @version, @fit, @calibration, @n)
            ON CONFLICT (feature, contract_version) DO UPDATE SET fit = excluded.fit,
              calibration = excluded.calibration, n = excluded.n
            """,
            cancellationToken,
            ("feature", feature),
            ("version", contractVersion),
            ("fit", fit),
            ("calibration", fitted.Calibration),
            ("n", fitted.Rows)
        );
    }

    /// <summary>The lock on the store, then this process's gate, let go in that order (the gate even when the lock's
    /// session has died).</summary>
    private sealed class Both(IAsyncDisposable held, IAsyncDisposable gate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await held.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await gate.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<DateTimeOffset, long>> CurrentWindowStampsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan window,
        int contractVersion,
        int resamples,
        CancellationToken cancellationToken = default
    )
    {
        var stored = await QueryAsync(
                $"SELECT window_start, as_of, computed_at FROM window_reports WHERE {ReportKey} "
                    + "AND window_start >= @from AND window_start < @to ORDER BY window_start",
                r => new StoredStamp(Time(r, 0), r.GetInt64(1), UnixMicroseconds.From(Time(r, 2))),
                cancellationToken,
                ("feature", feature),
                ("window", UnixMicroseconds.Of(window)),
                ("version", contractVersion),
                ("resamples", resamples),
                ("from", from),
                ("to", to)
            )
            .ConfigureAwait(false);
        if (stored.Count == 0)
        {
            return new Dictionary<DateTimeOffset, long>();
        }
        var reader = events()
            ?? throw new InvalidOperationException(
                "the PostgreSQL state store needs an event store to tell whether a window report is current: "
                    + "configure ClickHouse (--clickhouse) beside --postgres"
            );
        var current = await CurrentWindows
            .FindAsync(reader, feature, stored, window, cancellationToken)
            .ConfigureAwait(false);
        return current.ToDictionary(s => s.Start, s => s.Computed);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<DateTimeOffset, StoredWindow>> WindowReportsAsync(
        string feature,
        IReadOnlyCollection<DateTimeOffset> starts,
        TimeSpan window,
        int contractVersion,
        int resamples,
        bool summaries,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Count == 0)
        {
            return new Dictionary<DateTimeOffset, StoredWindow>();
        }
        var rows = await QueryAsync(
                $"SELECT window_start, report, {(summaries ? "summary" : "NULL::bytea")}, computed_at FROM window_reports "
                    + $"WHERE {ReportKey} AND window_start = ANY(@starts)",
                r =>
                    (
                        Time(r, 0),
                        new StoredWindow(
                            r.GetString(1),
                            r.IsDBNull(2) ? null : r.GetFieldValue<byte[]>(2),
                            UnixMicroseconds.From(Time(r, 3))
                        )
                    ),
                cancellationToken,
                ("feature", feature),
                ("window", UnixMicroseconds.Of(window)),
                ("version", contractVersion),
                ("resamples", resamples),
                ("starts", starts.Select(UnixMicroseconds.Stored).ToArray())
            )
            .ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2);
    }

    /// <inheritdoc />
    public Task SaveWindowReportAsync(
        string feature,
        DateTimeOffset start,
        TimeSpan window,
        int contractVersion,
        int resamples,
        long asOf,
        DateTimeOffset computedAt,
        string json,
        byte[]? summary,
        CancellationToken cancellationToken = default
    ) =>
        WriteAsync(
            """
            INSERT INTO window_reports (feature, window_start, window_us, contract_version, resamples, as_of, computed_at,
              report, summary)
            VALUES (@feature, @start, @window, @version, @resamples, @asOf, @computed, @report, @summary)
            ON CONFLICT (feature, window_us, contract_version, resamples, window_start) DO UPDATE SET
              as_of = excluded.as_of, computed_at = excluded.computed_at, report = excluded.report,
              summary = excluded.summary
            """,
            cancellationToken,
            ("feature", feature),
            ("start", start),
            ("window", UnixMicroseconds.Of(window)),
            ("version", contractVersion),
            ("resamples", resamples),
            ("asOf", asOf),
            ("computed", computedAt),
            ("report", Json(json)),
            ("summary", summary)
        );

    /// <inheritdoc />
    public async Task<CalibrationRecord?> GetCalibrationAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        (
            await QueryAsync(
                    "SELECT feature, period_from, period_to, n, fitted_by, fitted_at FROM calibrations "
                        + "WHERE feature = @feature",
                    r => new CalibrationRecord(
                        r.GetString(0),
                        Time(r, 1),
                        Time(r, 2),
                        r.GetInt64(3),
                        r.GetString(4),
                        Time(r, 5)
                    ),
                    cancellationToken,
                    ("feature", feature)
                )
                .ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    public Task SaveCalibrationAsync(CalibrationRecord calibration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        return InTransactionAsync(
            async connection =>
            {
                await WriteAsync(
                        connection,
                        """
                        INSERT INTO calibrations VALUES (@feature, @from, @to, @n, @by, @at)
                        ON CONFLICT (feature) DO UPDATE SET period_from = excluded.period_from,
                          period_to = excluded.period_to, n = excluded.n, fitted_by = excluded.fitted_by,
                          fitted_at = excluded.fitted_at
                        """,
                        cancellationToken,
                        ("feature", calibration.Feature),
                        ("from", calibration.From),
                        ("to", calibration.To),
                        ("n", calibration.Rows),
                        ("by", calibration.FittedBy),
                        ("at", calibration.FittedAt)
                    )
                    .ConfigureAwait(false);
                // The stored windows carry estimates made with the calibration before: they are computed again when next read.
                return await WriteAsync(
                        connection,
                        "DELETE FROM window_reports WHERE feature = @feature",
                        cancellationToken,
                        ("feature", calibration.Feature)
                    )
                    .ConfigureAwait(false);
            },
            cancellationToken
        );
    }
}
