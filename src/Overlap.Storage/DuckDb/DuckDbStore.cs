using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

/// <summary>
/// The embedded store: one DuckDB file, implementing every storage capability. Writes go through one connection, one
/// transaction per append (DuckDB commits through its write-ahead log, so a committed append survives a crash); reads
/// use their own connections to the same database. Events are appended into staging tables with DuckDB's appender and
/// moved less those whose id was received within the dedup horizon, which makes a second delivery of an id within it a
/// no-op. Times are kept as
/// <see cref="UnixMicroseconds"/>, so windows are integer arithmetic.
/// </summary>
internal sealed partial class DuckDbStore
    : IEventSink,
        IEventReader,
        IContractStore,
        IReviewStore,
        IWindowReportStore,
        IAlertStore,
        IUserStore,
        IEvaluationStore,
        ICalibrationStore,
        IModelGradeStore,
        IAsyncDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly long _horizonUs;
    private bool _disposed;

    private DuckDbStore(DuckDBConnection connection, TimeSpan dedupHorizon)
    {
        _connection = connection;
        _horizonUs = dedupHorizon.Ticks / TimeSpan.TicksPerMicrosecond;
    }

    /// <summary>The file name inside the data folder.</summary>
    public const string FileName = "overlap.duckdb";

    /// <summary>
    /// Opens (creating when new, unless <paramref name="mustExist"/>) the store in <paramref name="folder"/>. An event
    /// whose id (for its feature and kind) was received less than <paramref name="dedupHorizon"/> before it is not
    /// stored again (<see cref="StorageOptions.DefaultDedupHorizon"/> when null). Opening a DuckDB file is synchronous
    /// work (the native library has no asynchronous open), so this is not a task.
    /// </summary>
    public static DuckDbStore Open(string folder, bool mustExist = false, TimeSpan? dedupHorizon = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var horizon = dedupHorizon ?? StorageOptions.DefaultDedupHorizon;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(horizon, TimeSpan.Zero, nameof(dedupHorizon));
        var path = Path.Combine(folder, FileName);
        if (mustExist && !File.Exists(path))
        {
            throw new StoreUnavailableException(
                $"there is no Overlap store in {folder}; point --data at the folder 'overlap serve' uses",
                missing: true
            );
        }
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException(
                $"the data folder {folder} cannot be created ({e.Message.TrimEnd('.')}); choose a folder you can write to with --data",
                e
            );
        }
        var connection = new DuckDBConnection($"Data Source={path}");
        try
        {
            connection.Open();
        }
        catch (DuckDBException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            connection.Dispose();
            throw new StoreUnavailableException(
                $"the store {path} is in use by another process (a running 'overlap serve'?); stop that process first",
                e,
                inUse: true
            );
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            throw new StoreUnavailableException(
                $"the store {path} cannot be opened ({e.Message.Split('\n')[0]}); check the folder is writable and the file is an Overlap store",
                e
            );
        }
        RuleFunctions.Register(connection);
        var store = new DuckDbStore(connection, horizon);
        store.Execute(StoreSchema.Create);
        using (var global = store.Command(StoreSchema.IsGlobalIds))
        {
            if (global.ExecuteScalar() is true)
            {
                store.Execute(StoreSchema.MigrateToFeatureIds);
            }
        }
        using (var keyed = store.Command(StoreSchema.HasEventKeys))
        {
            if (keyed.ExecuteScalar() is true)
            {
                store.Execute(StoreSchema.DropEventKeys);
            }
        }
        store.Execute(StoreSchema.Access);
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var sql in StoreSchema.KeepSmallestHorizon)
            {
                using var keep = store.Command(sql, ("horizon", store._horizonUs));
                keep.Transaction = transaction;
                keep.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        // Staged rows of an append that never committed were never acknowledged: drop them.
        store.Execute(StoreSchema.ClearStaging);
        // DuckDB would take 80% of the machine for its buffers. 384 MB kept the server near 500 MiB in all, until the
        // primary-key indexes on event ids, which grew with the history, no longer fit at about 30 million stored events.
        // The event tables have no key now (an id is checked against the dedup horizon's rows only), so nothing in
        // memory grows with the history, and 512 MB is enough: larger joins and aggregates spill to the store's temporary
        // folder. At 2 days × 1,000,000 labelled predictions the server's peak fell from 1,549 MiB (1 GB) to 1,222 MiB.
        // 384 MB is not enough while loading at 3 × 1,000,000 (a load ran out of memory beside a count of distinct ids).
        store.Execute("SET memory_limit = '512MB'");
        return store;
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

    /// <summary>
    /// One statement on the write connection, one writer at a time, or several in a <c>BEGIN TRANSACTION; … COMMIT;</c>
    /// of their own; how many rows it changed. When it fails (out of memory, cancelled, a constraint), a transaction it
    /// began is rolled back before the connection goes to the next writer: left open and aborted, it failed every later
    /// write of the server ("Current transaction is aborted").
    /// </summary>
    internal async Task<int> WriteAsync(
        string sql,
        CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters
    )
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            RollBackOpenTransaction();
            throw;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Rolls back a transaction a failed statement left open on the write connection; nothing when none is.</summary>
    private void RollBackOpenTransaction()
    {
        try
        {
            Execute("ROLLBACK");
        }
        catch (DuckDBException)
        {
            // No transaction was open (the statement failed before BEGIN, or in one of its own).
        }
    }

    /// <summary>One <c>INSERT … RETURNING</c> of a number (an id, a version) on the write connection, one writer at a time; the number.</summary>
    private async Task<long> InsertReturningAsync(
        string sql,
        CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters
    )
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(sql, parameters);
            return Convert.ToInt64(
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture
            );
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

    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql,
        Func<DbDataReader, T> read,
        CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters
    )
    {
        var rows = new List<T>();
        await foreach (var row in RowsAsync(sql, parameters, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(row));
        }
        return rows;
    }

    /// <summary>
    /// The rows of a query as they arrive (the same reader, moved on), on a connection of its own; with
    /// <paramref name="stream"/>, fetched from DuckDB as they are read rather than materialised first.
    /// </summary>
    private async IAsyncEnumerable<DbDataReader> RowsAsync(
        string sql,
        (string Name, object Value)[] parameters,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        bool stream = false
    )
    {
        // DuckDB.NET shares one database instance between connections to the same file in a process.
        var reader = new DuckDBConnection(_connection.ConnectionString);
        await using (reader.ConfigureAwait(false))
        {
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = reader.CreateCommand();
            command.CommandText = sql;
            command.UseStreamingMode = stream;
            foreach (var (name, value) in parameters)
            {
                if (sql.Contains($"${name}", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new DuckDBParameter(name, value));
                }
            }
            using var result = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await result.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }
}
