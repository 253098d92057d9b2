using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <inheritdoc />
    public async Task<CalibrationRecord?> GetCalibrationAsync(
        string feature,
        CancellationToken cancellationToken = default
    )
    {
        var rows = await QueryAsync(
                "SELECT feature, from_us, to_us, n, fitted_by, fitted_us FROM calibrations WHERE feature = $feature",
                r => new CalibrationRecord(
                    r.GetString(0),
                    UnixMicroseconds.ToTime(r.GetInt64(1)),
                    UnixMicroseconds.ToTime(r.GetInt64(2)),
                    r.GetInt64(3),
                    r.GetString(4),
                    UnixMicroseconds.ToTime(r.GetInt64(5))
                ),
                cancellationToken,
                ("feature", feature)
            )
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task SaveCalibrationAsync(CalibrationRecord calibration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        await WriteAsync(
                "INSERT OR REPLACE INTO calibrations VALUES ($feature, $from, $to, $n, $by, $at)",
                cancellationToken,
                ("feature", calibration.Feature),
                ("from", UnixMicroseconds.From(calibration.From)),
                ("to", UnixMicroseconds.From(calibration.To)),
                ("n", calibration.Rows),
                ("by", calibration.FittedBy),
                ("at", UnixMicroseconds.From(calibration.FittedAt))
            )
            .ConfigureAwait(false);
        // The stored windows carry estimates made with the calibration before: they are computed again when next read.
        await WriteAsync(
                "DELETE FROM window_reports WHERE feature = $feature",
                cancellationToken,
                ("feature", calibration.Feature)
            )
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FittedCalibration?> GetFittedCalibrationAsync(
        string feature,
        int contractVersion,
        string fit,
        CancellationToken cancellationToken = default
    )
    {
        var rows = await QueryAsync(
                "SELECT calibration, n FROM fitted_calibrations WHERE feature = $feature AND contract_version = $version AND fit = $fit",
                r => new FittedCalibration(Bytes(r.GetValue(0)), r.GetInt64(1)),
                cancellationToken,
                ("feature", feature),
                ("version", contractVersion),
                ("fit", fit)
            )
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

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
            "INSERT OR REPLACE INTO fitted_calibrations VALUES ($feature, $version, $fit, $calibration, $n)",
            cancellationToken,
            ("feature", feature),
            ("version", contractVersion),
            ("fit", fit),
            ("calibration", fitted.Calibration),
            ("n", fitted.Rows)
        );
    }

    /// <inheritdoc />
    /// <remarks>One process opens the file, so a fit is held in this process alone (the window gates, under a key no window has).</remarks>
    public Task<IAsyncDisposable> HoldFitAsync(
        string feature,
        int contractVersion,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        return _windowGates.EnterAsync(WindowGates.FitKey(feature, contractVersion), cancellationToken);
    }
}
