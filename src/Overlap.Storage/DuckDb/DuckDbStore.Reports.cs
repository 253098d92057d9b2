using System.Globalization;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <summary>The gates of <see cref="HoldWindowAsync"/>: one process opens the file, so a window is held in this
    /// store alone.</summary>
    private readonly WindowGates _windowGates = new();

    /// <summary>How many windows are held or waited for now.</summary>
    internal int HeldWindows => _windowGates.Count;

    /// <inheritdoc />
    public Task<IAsyncDisposable> HoldWindowAsync(
        string feature,
        DateTimeOffset start,
        TimeSpan window,
        int contractVersion,
        int resamples,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        return _windowGates.EnterAsync(
            WindowGates.Key(feature, start, window, contractVersion, resamples),
            cancellationToken
        );
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
        var rows = await QueryAsync(
                "SELECT r.window_start_us, r.computed_us FROM window_reports r "
                    + "WHERE r.feature = $feature AND r.window_us = $window AND r.contract_version = $version AND r.resamples = $resamples "
                    + "AND r.window_start_us >= $from AND r.window_start_us < $to "
                    + "AND NOT EXISTS (SELECT 1 FROM changed_hours c WHERE c.feature = r.feature AND c.change > r.as_of "
                    + "AND c.hour >= r.window_start_us // 3600000000 AND c.hour <= (r.window_start_us + r.window_us - 1) // 3600000000)",
                r => (UnixMicroseconds.ToTime(r.GetInt64(0)), r.GetInt64(1)),
                cancellationToken,
                ("feature", feature),
                ("window", UnixMicroseconds.Of(window)),
                ("version", contractVersion),
                ("resamples", resamples),
                ("from", UnixMicroseconds.From(from)),
                ("to", UnixMicroseconds.From(to))
            )
            .ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2);
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
        // The starts are numbers, written into the query as such.
        var list = string.Join(
            ", ",
            starts.Select(s => UnixMicroseconds.From(s).ToString(CultureInfo.InvariantCulture))
        );
        var rows = await QueryAsync(
                $"SELECT window_start_us, report, {(summaries ? "summary" : "NULL")}, computed_us FROM window_reports "
                    + $"WHERE feature = $feature AND window_us = $window AND contract_version = $version AND resamples = $resamples AND window_start_us IN ({list})",
                r =>
                    (
                        UnixMicroseconds.ToTime(r.GetInt64(0)),
                        new StoredWindow(r.GetString(1), r.IsDBNull(2) ? null : Bytes(r.GetValue(2)), r.GetInt64(3))
                    ),
                cancellationToken,
                ("feature", feature),
                ("window", UnixMicroseconds.Of(window)),
                ("version", contractVersion),
                ("resamples", resamples)
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
            "INSERT OR REPLACE INTO window_reports (feature, window_start_us, window_us, contract_version, resamples, as_of, computed_us, report, summary) "
                + "VALUES ($feature, $start, $window, $version, $resamples, $asOf, $computed, $report, $summary)",
            cancellationToken,
            ("feature", feature),
            ("start", UnixMicroseconds.From(start)),
            ("window", UnixMicroseconds.Of(window)),
            ("version", contractVersion),
            ("resamples", resamples),
            ("asOf", asOf),
            ("computed", UnixMicroseconds.From(computedAt)),
            ("report", json),
            ("summary", (object?)summary ?? DBNull.Value)
        );

    /// <summary>A BLOB as DuckDB.NET hands it over (a stream over native memory, or bytes), copied out.</summary>
    private static byte[] Bytes(object value)
    {
        if (value is byte[] bytes)
        {
            return bytes;
        }
        using var source = (Stream)value;
        using var copy = new MemoryStream();
        source.CopyTo(copy);
        return copy.ToArray();
    }
}
