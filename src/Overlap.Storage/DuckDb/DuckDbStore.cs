using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Overlap.Core.Events;
using Overlap.Core.Monitoring;
using Overlap.Core.Text;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

/// <summary>
/// The embedded store: one DuckDB file, implementing every storage capability. Writes go through one connection, one
/// transaction per append (DuckDB commits through its write-ahead log, so a committed append survives a crash); reads
/// use their own connections to the same database. Events are appended into staging tables with DuckDB's appender and
/// moved with <c>INSERT OR IGNORE</c>, which makes a second delivery of an id a no-op. Times are kept as
/// <see cref="UnixMicroseconds"/>, so windows are integer arithmetic.
/// </summary>
internal sealed partial class DuckDbStore :
    IEventSink, IEventReader, IContractStore, IReviewStore, IWindowReportStore, IAlertStore, IUserStore, IEvaluationStore, ICalibrationStore, IAsyncDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly SemaphoreSlim _write = new(1, 1);
    private bool _disposed;

    private DuckDbStore(DuckDBConnection connection) => _connection = connection;

    /// <summary>The file name inside the data folder.</summary>
    public const string FileName = "overlap.duckdb";

    /// <summary>
    /// Opens (creating when new, unless <paramref name="mustExist"/>) the store in <paramref name="folder"/>. Opening a
    /// DuckDB file is synchronous work (the native library has no asynchronous open), so this is not a task.
    /// </summary>
    public static DuckDbStore Open(string folder, bool mustExist = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = Path.Combine(folder, FileName);
        if (mustExist && !File.Exists(path))
        {
            throw new StoreUnavailableException($"there is no Overlap store in {folder}; point --data at the folder 'overlap serve' uses", missing: true);
        }
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException($"the data folder {folder} cannot be created ({e.Message.TrimEnd('.')}); choose a folder you can write to with --data", e);
        }
        var connection = new DuckDBConnection($"Data Source={path}");
        try
        {
            connection.Open();
        }
        catch (DuckDBException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            connection.Dispose();
            throw new StoreUnavailableException($"the store {path} is in use by another process (a running 'overlap serve'?); stop that process first", e, inUse: true);
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            throw new StoreUnavailableException($"the store {path} cannot be opened ({e.Message.Split('\n')[0]}); check the folder is writable and the file is an Overlap store", e);
        }
        RuleFunctions.Register(connection);
        var store = new DuckDbStore(connection);
        store.Execute(StoreSchema.Create);
        using (var global = store.Command(StoreSchema.IsGlobalIds))
        {
            if (global.ExecuteScalar() is true)
            {
                store.Execute(StoreSchema.MigrateToFeatureIds);
            }
        }
        store.Execute(StoreSchema.Access);
        // Staged rows of an append that never committed were never acknowledged: drop them.
        store.Execute(StoreSchema.ClearStaging);
        // DuckDB would take 80% of the machine for its buffers. 384 MB kept the server near 500 MiB in all, but the
        // primary-key indexes on event ids grow with the history (an id seen before is a no-op, ever), and at about
        // 30 million stored events they no longer fit: the loader failed with out-of-memory. 1 GB holds the indexes of
        // about 60 million events; beyond that the ids need partitioning (see bench/README.md).
        store.Execute("SET memory_limit = '1GB'");
        return store;
    }

    /// <inheritdoc />
    public async Task<ContractVersion> PutContractAsync(string feature, string yaml, string changedBy, DateTimeOffset changedAt, CancellationToken cancellationToken = default)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO contracts
                SELECT $feature, coalesce(max(version), 0) + 1, $yaml, $by, $at FROM contracts WHERE feature = $feature
                RETURNING version
                """;
            command.Parameters.Add(new DuckDBParameter("feature", feature));
            command.Parameters.Add(new DuckDBParameter("yaml", yaml));
            command.Parameters.Add(new DuckDBParameter("by", changedBy));
            command.Parameters.Add(new DuckDBParameter("at", UnixMicroseconds.From(changedAt)));
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return new ContractVersion(feature, version, yaml, changedBy, changedAt);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public async Task<ContractVersion?> GetContractAsync(string feature, int? version = null, CancellationToken cancellationToken = default)
    {
        var sql = version is null
            ? "SELECT feature, version, yaml, changed_by, changed_at_us FROM contracts WHERE feature = $feature ORDER BY version DESC LIMIT 1"
            : "SELECT feature, version, yaml, changed_by, changed_at_us FROM contracts WHERE feature = $feature AND version = $version";
        var rows = await QueryAsync(sql, ReadContract, cancellationToken, ("feature", feature), ("version", version ?? 0)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ContractVersion>> ListContractVersionsAsync(string feature, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT feature, version, yaml, changed_by, changed_at_us FROM contracts WHERE feature = $feature ORDER BY version", ReadContract, cancellationToken, ("feature", feature));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListFeaturesAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT DISTINCT feature FROM contracts ORDER BY feature", r => r.GetString(0), cancellationToken);

    /// <inheritdoc />
    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync("INSERT INTO api_keys (id, hash, role, name, created_at_us, expires_at_us) VALUES ($id, $hash, $role, $name, $at, $expires)", cancellationToken,
            ("id", key.Id), ("hash", key.Hash), ("role", key.Role.ToString().ToLowerInvariant()), ("name", key.Name), ("at", UnixMicroseconds.From(key.CreatedAt)),
            ("expires", key.ExpiresAt is { } expires ? UnixMicroseconds.From(expires) : DBNull.Value));
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindKeyAsync(string hash, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(KeyColumns + "WHERE hash = $hash", ReadKey, cancellationToken, ("hash", hash)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(IReadOnlyList<FeatureEvent> events, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        AppendAsync(events, receivedAt, null, cancellationToken);

    /// <inheritdoc />
    public Task<AppendResult> AppendFromLogAsync(IReadOnlyList<FeatureEvent> events, DateTimeOffset receivedAt, long logPosition, CancellationToken cancellationToken = default) =>
        AppendAsync(events, receivedAt, logPosition, cancellationToken);

    /// <inheritdoc />
    public async Task<long?> GetLogPositionAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("SELECT position FROM ingest_log WHERE id = 1", r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<AppendResult> AppendAsync(IReadOnlyList<FeatureEvent> events, DateTimeOffset receivedAt, long? logPosition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0 && logPosition is null)
        {
            return default;
        }
        var received = UnixMicroseconds.From(receivedAt);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var staged = StageAll(events, received);
            using var transaction = _connection.BeginTransaction();
            long? change = null;
            var stored = 0;
            foreach (var (table, count) in staged)
            {
                if (count == 0)
                {
                    continue;
                }
                if (StoreSchema.FillFeature.GetValueOrDefault(table) is { } fill)
                {
                    using var missing = Command(fill);
                    missing.Transaction = transaction;
                    missing.ExecuteNonQuery();
                }
                using var move = _connection.CreateCommand();
                move.Transaction = transaction;
                move.CommandText = $"INSERT OR IGNORE INTO {table} SELECT DISTINCT ON (feature, id) * FROM stage_{table}";
                stored += move.ExecuteNonQuery();
                if (StoreSchema.MarkChanged.GetValueOrDefault(table) is { } mark)
                {
                    if (change is null)
                    {
                        using var next = Command("SELECT nextval('change_seq')");
                        next.Transaction = transaction;
                        change = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
                    }
                    using var changed = Command(mark, ("change", change.Value));
                    changed.Transaction = transaction;
                    changed.ExecuteNonQuery();
                }
                using var clear = _connection.CreateCommand();
                clear.Transaction = transaction;
                clear.CommandText = $"DELETE FROM stage_{table}";
                clear.ExecuteNonQuery();
            }
            if (logPosition is { } position)
            {
                using var mark = Command("INSERT OR REPLACE INTO ingest_log VALUES (1, $position)", ("position", position));
                mark.Transaction = transaction;
                mark.ExecuteNonQuery();
            }
            transaction.Commit();
            return new AppendResult(stored, events.Count - stored);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public async Task<ProductionRows> ReadPredictionsAsync(string feature, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> attributes, int? sample = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        // Attribute names are bound as JSON paths, never spliced into the SQL; the sample size is a whole number.
        var extracts = string.Concat(attributes.Select((_, i) => $", coalesce(json_extract_string(p.attributes, $a{i}), json_extract_string(p.inputs, $a{i}))"));
        // Stored JSON that does not parse (a lone surrogate escape such as \ud800) must not fail the read: such escapes
        // are read as U+FFFD, and what still does not parse is read as no attributes.
        var range = $"SELECT * REPLACE ({Readable("attributes")} AS attributes, {Readable("inputs")} AS inputs) FROM predictions WHERE feature = $feature AND time_us >= $from AND time_us < $to";
        // The sample is StableSample's: the rows with the smallest keys of their ids (ties by the id's bytes).
        var rows = sample is { } size ? $"SELECT * FROM ({range}) ORDER BY {RuleFunctions.SampleKey}(id), id LIMIT {size.ToString(CultureInfo.InvariantCulture)}" : range;
        // Outcomes are joined for the predictions in range only, the latest one winning.
        var sql = $"""
            WITH p AS ({rows}),
            o AS (SELECT o.prediction_id, arg_max(o.label, o.time_us) AS label FROM outcomes o JOIN p ON p.id = o.prediction_id WHERE o.feature = $feature GROUP BY o.prediction_id)
            SELECT p.id, p.time_us, p.score, p.prediction, o.label, p.latency_ms, p.cost, p.model_version{extracts}
            FROM p LEFT JOIN o ON o.prediction_id = p.id
            ORDER BY p.time_us, p.id
            """;
        var parameters = new List<(string, object)> { ("feature", feature), ("from", UnixMicroseconds.From(from)), ("to", UnixMicroseconds.From(to)) };
        parameters.AddRange(attributes.Select((name, i) => ($"a{i}", (object)$"$.\"{name.Replace("\"", "\\\"", StringComparison.Ordinal)}\"")));
        // Typed reads straight into columns: no boxed value per cell, so a window of a million predictions stays compact.
        var ids = new List<string>();
        var times = new List<long>();
        var scores = new List<double>();
        var predictions = new List<string?>();
        var labels = new List<string?>();
        var latencies = new List<double>();
        var costs = new List<double>();
        var models = new List<string?>();
        var byName = attributes.Select(_ => new List<string?>()).ToArray();
        // Labels, decisions, versions and attributes repeat a few values a million times: keep one string of each.
        var pool = new TextPool();
        await QueryAsync(sql, r =>
        {
            ids.Add(r.GetString(0));
            times.Add(r.GetInt64(1));
            scores.Add(r.IsDBNull(2) ? double.NaN : r.GetDouble(2));
            predictions.Add(r.IsDBNull(3) ? null : pool.Intern(r.GetString(3)));
            labels.Add(r.IsDBNull(4) ? null : pool.Intern(r.GetString(4)));
            latencies.Add(r.IsDBNull(5) ? double.NaN : r.GetDouble(5));
            costs.Add(r.IsDBNull(6) ? double.NaN : r.GetDouble(6));
            models.Add(r.IsDBNull(7) ? null : pool.Intern(r.GetString(7)));
            for (var a = 0; a < byName.Length; a++)
            {
                byName[a].Add(r.IsDBNull(8 + a) ? null : pool.Intern(r.GetString(8 + a)));
            }
            return 0;
        }, cancellationToken, [.. parameters]).ConfigureAwait(false);
        return new ProductionRows
        {
            Ids = [.. ids],
            TimesUs = [.. times],
            Scores = [.. scores],
            Predictions = [.. predictions],
            Labels = [.. labels],
            LatencyMs = [.. latencies],
            Costs = [.. costs],
            ModelVersions = [.. models],
            Attributes = attributes.Select((name, a) => (name, a)).ToDictionary(x => x.name, x => byName[x.a].ToArray(), StringComparer.Ordinal),
        };
    }

    /// <summary>SQL for a JSON text column as json_extract can read it: as stored when valid, else with lone surrogate escapes as U+FFFD, else null.</summary>
    private static string Readable(string column)
    {
        var repaired = $"regexp_replace({column}, '\\\\u[dD][89a-fA-F][0-9a-fA-F]{{2}}', '\\\\uFFFD', 'g')";
        return $"CASE WHEN {column} IS NULL OR json_valid({column}) THEN {column} WHEN json_valid({repaired}) THEN {repaired} END";
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertStateRecord>> GetAlertStatesAsync(string feature, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "SELECT feature, check_name, state, window_start_us, statement, updated_us, judged_from_us, judged_to_us FROM alert_states WHERE feature = $feature ORDER BY check_name",
            r => new AlertStateRecord(r.GetString(0), r.GetString(1), WireName.Parse<AlertState>(r.GetString(2)), UnixMicroseconds.ToTime(r.GetInt64(3)), r.GetString(4), UnixMicroseconds.ToTime(r.GetInt64(5)), OptionalTime(r, 6), OptionalTime(r, 7)),
            cancellationToken,
            ("feature", feature));

    /// <inheritdoc />
    public Task SaveAlertStateAsync(AlertStateRecord state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(
            "INSERT OR REPLACE INTO alert_states (feature, check_name, state, window_start_us, statement, updated_us, judged_from_us, judged_to_us) " +
            "VALUES ($feature, $check, $state, $window, $statement, $updated, $from, $to)", cancellationToken,
            ("feature", state.Feature), ("check", state.Check), ("state", WireName.Of(state.State)), ("window", UnixMicroseconds.From(state.WindowStart)), ("statement", state.Statement), ("updated", UnixMicroseconds.From(state.UpdatedAt)),
            ("from", OptionalMicroseconds(state.JudgedFrom)), ("to", OptionalMicroseconds(state.JudgedTo)));
    }

    /// <inheritdoc />
    public async Task<AlertEventRecord> AddAlertEventAsync(AlertEventRecord alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(
                "INSERT INTO alert_events (feature, check_name, state, previous, window_start_us, statement, created_us, delivery, attempts, judged_from_us, judged_to_us) " +
                "VALUES ($feature, $check, $state, $previous, $window, $statement, $created, $delivery, $attempts, $from, $to) RETURNING id",
                ("feature", alert.Feature), ("check", alert.Check), ("state", WireName.Of(alert.State)), ("previous", WireName.Of(alert.Previous)), ("window", UnixMicroseconds.From(alert.WindowStart)),
                ("statement", alert.Statement), ("created", UnixMicroseconds.From(alert.CreatedAt)), ("delivery", alert.Delivery), ("attempts", alert.Attempts),
                ("from", OptionalMicroseconds(alert.JudgedFrom)), ("to", OptionalMicroseconds(alert.JudgedTo)));
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return alert with { Id = id };
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public Task SetAlertDeliveryAsync(long id, string delivery, int attempts, string? reason, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE alert_events SET delivery = $delivery, attempts = $attempts, delivery_reason = $reason WHERE id = $id", cancellationToken, ("delivery", delivery), ("attempts", attempts), ("reason", (object?)reason ?? DBNull.Value), ("id", id));

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertEventRecord>> ListAlertEventsAsync(string feature, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "SELECT id, feature, check_name, state, previous, window_start_us, statement, created_us, delivery, attempts, delivery_reason, judged_from_us, judged_to_us FROM alert_events WHERE feature = $feature ORDER BY id DESC LIMIT $limit",
            r => new AlertEventRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), WireName.Parse<AlertState>(r.GetString(3)), WireName.Parse<AlertState>(r.GetString(4)), UnixMicroseconds.ToTime(r.GetInt64(5)), r.GetString(6), UnixMicroseconds.ToTime(r.GetInt64(7)), r.GetString(8), r.GetInt32(9), r.IsDBNull(10) ? null : r.GetString(10), OptionalTime(r, 11), OptionalTime(r, 12)),
            cancellationToken,
            ("feature", feature), ("limit", limit));

    /// <inheritdoc />
    public async Task<long> CurrentChangeAsync(string feature, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT coalesce(max(change), 0) FROM changed_hours WHERE feature = $feature", r => r.GetInt64(0), cancellationToken, ("feature", feature)).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public async Task<long> ChangeInRangeAsync(string feature, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        (await QueryAsync(
            "SELECT coalesce(max(change), 0) FROM changed_hours WHERE feature = $feature AND hour >= $from // 3600000000 AND hour <= ($to - 1) // 3600000000",
            r => r.GetInt64(0), cancellationToken, ("feature", feature), ("from", UnixMicroseconds.From(from)), ("to", UnixMicroseconds.From(to))).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<DateTimeOffset, long>> CurrentWindowStampsAsync(string feature, DateTimeOffset from, DateTimeOffset to, TimeSpan window, int contractVersion, int resamples, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
            "SELECT r.window_start_us, r.computed_us FROM window_reports r " +
            "WHERE r.feature = $feature AND r.window_us = $window AND r.contract_version = $version AND r.resamples = $resamples " +
            "AND r.window_start_us >= $from AND r.window_start_us < $to " +
            "AND NOT EXISTS (SELECT 1 FROM changed_hours c WHERE c.feature = r.feature AND c.change > r.as_of " +
            "AND c.hour >= r.window_start_us // 3600000000 AND c.hour <= (r.window_start_us + r.window_us - 1) // 3600000000)",
            r => (UnixMicroseconds.ToTime(r.GetInt64(0)), r.GetInt64(1)),
            cancellationToken,
            ("feature", feature), ("window", UnixMicroseconds.Of(window)), ("version", contractVersion), ("resamples", resamples), ("from", UnixMicroseconds.From(from)), ("to", UnixMicroseconds.From(to))).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<DateTimeOffset, StoredWindow>> WindowReportsAsync(string feature, IReadOnlyCollection<DateTimeOffset> starts, TimeSpan window, int contractVersion, int resamples, bool summaries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Count == 0)
        {
            return new Dictionary<DateTimeOffset, StoredWindow>();
        }
        // The starts are numbers, written into the query as such.
        var list = string.Join(", ", starts.Select(s => UnixMicroseconds.From(s).ToString(CultureInfo.InvariantCulture)));
        var rows = await QueryAsync(
            $"SELECT window_start_us, report, {(summaries ? "summary" : "NULL")}, computed_us FROM window_reports " +
            $"WHERE feature = $feature AND window_us = $window AND contract_version = $version AND resamples = $resamples AND window_start_us IN ({list})",
            r => (UnixMicroseconds.ToTime(r.GetInt64(0)), new StoredWindow(r.GetString(1), r.IsDBNull(2) ? null : Bytes(r.GetValue(2)), r.GetInt64(3))),
            cancellationToken,
            ("feature", feature), ("window", UnixMicroseconds.Of(window)), ("version", contractVersion), ("resamples", resamples)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2);
    }

    /// <inheritdoc />
    public Task SaveWindowReportAsync(string feature, DateTimeOffset start, TimeSpan window, int contractVersion, int resamples, long asOf, DateTimeOffset computedAt, string json, byte[]? summary, CancellationToken cancellationToken = default) =>
        WriteAsync(
            "INSERT OR REPLACE INTO window_reports (feature, window_start_us, window_us, contract_version, resamples, as_of, computed_us, report, summary) " +
            "VALUES ($feature, $start, $window, $version, $resamples, $asOf, $computed, $report, $summary)", cancellationToken,
            ("feature", feature), ("start", UnixMicroseconds.From(start)), ("window", UnixMicroseconds.Of(window)), ("version", contractVersion), ("resamples", resamples), ("asOf", asOf), ("computed", UnixMicroseconds.From(computedAt)), ("report", json), ("summary", (object?)summary ?? DBNull.Value));

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

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FeaturesOfPredictionsAsync(IReadOnlyCollection<string> predictionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictionIds);
        if (predictionIds.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        }
        // One bound parameter per id: ids are never spliced into the SQL.
        var ids = predictionIds.Distinct(StringComparer.Ordinal).Select((id, i) => ($"i{i}", (object)id)).ToArray();
        var rows = await QueryAsync(
            $"SELECT id, feature FROM predictions WHERE id IN ({string.Join(", ", ids.Select(p => "$" + p.Item1))}) ORDER BY feature",
            r => (Id: r.GetString(0), Feature: r.GetString(1)), cancellationToken, ids).ConfigureAwait(false);
        return rows.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.Feature)], StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task<EventCounts> CountAsync(string feature, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
            """
            SELECT
              (SELECT count(*) FROM predictions WHERE feature = $feature),
              (SELECT count(*) FROM outcomes o JOIN predictions p ON p.feature = o.feature AND p.id = o.prediction_id WHERE o.feature = $feature),
              (SELECT count(*) FROM feedback f JOIN predictions p ON p.feature = f.feature AND p.id = f.prediction_id WHERE f.feature = $feature),
              (SELECT count(*) FROM business b WHERE b.feature = $feature),
              (SELECT count(DISTINCT o.prediction_id) FROM outcomes o JOIN predictions p ON p.feature = o.feature AND p.id = o.prediction_id WHERE o.feature = $feature)
            """,
            r => new EventCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)),
            cancellationToken,
            ("feature", feature)).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        await _write.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
            _write.Dispose();
        }
    }

    private List<(string Table, int Count)> StageAll(IReadOnlyList<FeatureEvent> events, long received)
    {
        var counts = new Dictionary<string, int> { ["predictions"] = 0, ["outcomes"] = 0, ["feedback"] = 0, ["business"] = 0 };
        using (var predictions = _connection.CreateAppender("stage_predictions"))
        using (var outcomes = _connection.CreateAppender("stage_outcomes"))
        using (var feedback = _connection.CreateAppender("stage_feedback"))
        using (var business = _connection.CreateAppender("stage_business"))
        {
            foreach (var e in events)
            {
                var time = UnixMicroseconds.From(e.Time);
                switch (e)
                {
                    case PredictionEvent p:
                        predictions.CreateRow().AppendValue(p.Id).AppendValue(p.Feature).AppendValue(time).AppendValue(p.ModelVersion)
                            .AppendValue(p.Score).AppendValue(p.Prediction).AppendValue(p.LatencyMs).AppendValue(p.Cost)
                            .AppendValue(p.InputsJson).AppendValue(p.AttributesJson).AppendValue(received).EndRow();
                        counts["predictions"]++;
                        break;
                    case OutcomeEvent o:
                        outcomes.CreateRow().AppendValue(o.Id).AppendValue(o.PredictionId).AppendValue(o.Label).AppendValue(o.Source)
                            .AppendValue(time).AppendValue(received).AppendValue(o.Feature).EndRow();
                        counts["outcomes"]++;
                        break;
                    case FeedbackEvent f:
                        feedback.CreateRow().AppendValue(f.Id).AppendValue(f.PredictionId).AppendValue(f.FeedbackKind)
                            .AppendValue(time).AppendValue(received).AppendValue(f.Feature).EndRow();
                        counts["feedback"]++;
                        break;
                    case BusinessEvent b:
                        business.CreateRow().AppendValue(b.Id).AppendValue(b.Name).AppendValue(b.Value).AppendValue(b.PredictionId)
                            .AppendValue(b.Feature).AppendValue(time).AppendValue(received).EndRow();
                        counts["business"]++;
                        break;
                    default:
                        throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(events));
                }
            }
        }
        return [.. counts.Select(c => (c.Key, c.Value))];
    }

    /// <summary>One statement on the write connection, one writer at a time; how many rows it changed.</summary>
    private async Task<int> WriteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    private DuckDBCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        // DuckDB.NET shares one database instance between connections to the same file in a process.
        var reader = new DuckDBConnection(_connection.ConnectionString);
        await using (reader.ConfigureAwait(false))
        {
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = reader.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                if (sql.Contains($"${name}", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new DuckDBParameter(name, value));
                }
            }
            var rows = new List<T>();
            using var result = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await result.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(result));
            }
            return rows;
        }
    }

    private static ContractVersion ReadContract(DbDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), UnixMicroseconds.ToTime(r.GetInt64(4)));
}
