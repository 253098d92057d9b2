using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
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
    private readonly KeptCounts _counted = new();
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
        // DuckDB would take 80% of the machine for its buffers. The event tables have no key (an id is checked against
        // the dedup horizon's rows only), so nothing in memory grows with the history; larger joins and aggregates
        // spill to the store's temporary folder. DuckDB's cache of the store's blocks fills its limit within minutes of
        // loading, and the process holds about 100 to 200 MB more than the limit besides (allocations it does not
        // count), so the limit is most of the server's peak: at 30 days × 1,000,000 labelled predictions a day the
        // peak was 1,156 MiB at 512 MB and 985 MiB at 384 MB (one session). A load ran out of memory at 384 MB beside a count of
        // distinct ids when loads also grouped every stored id (before the dedup horizon and the link lookup); since,
        // 4 days of backfill with /counts asked in a loop and the review pass every 5 s load at 384 MB.
        store.Execute($"SET memory_limit = '{MemoryLimit}'");
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

    /// <summary>How much memory DuckDB may take for its cache and work (see <see cref="Open"/>).</summary>
    internal const string MemoryLimit = "384MB";

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
        catch (Exception e)
        {
            RollBackOpenTransaction();
            if (e is DuckDBException { ErrorType: DuckDBErrorType.OutOfMemory } duck)
            {
                throw ShortOfMemory(duck);
            }
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
            DbDataReader result;
            try
            {
                result = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DuckDBException e) when (e.ErrorType == DuckDBErrorType.OutOfMemory)
            {
                throw ShortOfMemory(e);
            }
            using (result)
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await result.ReadAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (DuckDBException e) when (e.ErrorType == DuckDBErrorType.OutOfMemory)
                    {
                        throw ShortOfMemory(e);
                    }
                    if (!more)
                    {
                        break;
                    }
                    yield return result;
                }
            }
        }
    }

    /// <summary>
    /// A request DuckDB could not find memory for within its limit (other work held it): the store cannot serve it now,
    /// which the server answers with 503 and Retry-After, not as a fault of the server or of the request.
    /// </summary>
    private static StoreUnavailableException ShortOfMemory(DuckDBException e) =>
        new(
            $"the embedded store ran short of memory for this request ({MemoryLimit} for DuckDB, in use by other work at "
                + "the moment); retry in a few seconds, and do not poll reads of the whole history such as /counts",
            e,
            busy: true
        );
}
