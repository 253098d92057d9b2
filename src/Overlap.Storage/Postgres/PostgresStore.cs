using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.Postgres;

/// <summary>
/// The state store on PostgreSQL: contracts, users, keys and sessions, alert state, evaluation runs, window reports,
/// recalibrations, model grades and the review queue, shared by every <c>overlap serve</c> instance that names the same
/// database. Each call takes a pooled connection from one <see cref="NpgsqlDataSource"/>; values always travel as
/// parameters. Whether a stored window report is still current, which predictions to route for review or to the model
/// judge, and whether a decision's outcome is stored depend on the events, so those questions go to the event store
/// (<see cref="IEventReader"/>, resolved when first needed).
/// </summary>
internal sealed partial class PostgresStore(NpgsqlDataSource source, string server, Func<IEventReader?> events)
    : IContractStore,
        IUserStore,
        IAlertStore,
        IEvaluationStore,
        IWindowReportStore,
        ICalibrationStore,
        IModelGradeStore,
        IAsyncDisposable
{
    /// <summary>The advisory lock held while migrations run, so instances starting together migrate one at a time.</summary>
    internal const long MigrationLock = 0x4F_56_4C_50_53_43_48; // "OVLPSCH"

    /// <summary>
    /// Opens the store the connection string names, applying the migrations it lacks (unless
    /// <paramref name="mustExist"/> and it has none: then <see cref="StoreUnavailableException.Missing"/>). Opening is
    /// synchronous, as the service container's factories are.
    /// </summary>
    public static PostgresStore Open(string connectionString, bool mustExist, Func<IEventReader?> events)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StoreUnavailableException(
                $"the PostgreSQL connection string is not valid ({e.Message.TrimEnd('.')}); pass one such as "
                    + "'Host=db.example;Port=5432;Username=overlap;Password=…;Database=overlap' to --postgres",
                e
            );
        }
        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName ??= "overlap";
        var server = $"{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}";
        var source = builder.Build();
        try
        {
            using var connection = source.OpenConnection();
            Migrate(connection, mustExist, server);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            source.Dispose();
            throw Unavailable(e, server);
        }
        catch
        {
            source.Dispose();
            throw;
        }
        return new PostgresStore(source, server, events);
    }

    /// <summary>Applies the migrations the database lacks, in order, under <see cref="MigrationLock"/>.</summary>
    private static void Migrate(NpgsqlConnection connection, bool mustExist, string server)
    {
        Execute(connection, "SELECT pg_advisory_lock(@key)", ("key", MigrationLock));
        try
        {
            var known = Execute(connection, "SELECT to_regclass('schema_migrations') IS NOT NULL") is true;
            if (!known)
            {
                if (mustExist)
                {
                    throw new StoreUnavailableException(
                        $"there is no Overlap store in the PostgreSQL database {server}; point --postgres at the "
                            + "database 'overlap serve' uses",
                        missing: true
                    );
                }
                Execute(
                    connection,
                    "CREATE TABLE schema_migrations (version integer PRIMARY KEY, description text NOT NULL, "
                        + "applied_at timestamptz NOT NULL DEFAULT now())"
                );
            }
            var current = Convert.ToInt32(
                Execute(connection, "SELECT coalesce(max(version), 0) FROM schema_migrations"),
                System.Globalization.CultureInfo.InvariantCulture
            );
            if (current > PostgresSchema.Latest)
            {
                throw new StoreUnavailableException(
                    $"the PostgreSQL store {server} is at schema version {current}, made by a newer Overlap than this "
                        + $"one (which knows up to {PostgresSchema.Latest}); run the newer Overlap"
                );
            }
            foreach (var migration in PostgresSchema.Migrations.Where(m => m.Version > current))
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, migration.Sql);
                Execute(
                    connection,
                    "INSERT INTO schema_migrations (version, description) VALUES (@version, @description)",
                    ("version", migration.Version),
                    ("description", migration.Description)
                );
                transaction.Commit();
            }
        }
        finally
        {
            Execute(connection, "SELECT pg_advisory_unlock(@key)", ("key", MigrationLock));
        }
    }

    private static object? Execute(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        using var command = new NpgsqlCommand(sql, connection);
        AddParameters(command, args);
        return command.ExecuteScalar();
    }

    /// <summary>What went wrong reaching or opening the database, in words that say what to do.</summary>
    private static StoreUnavailableException Unavailable(Exception e, string server) =>
        e switch
        {
            StoreUnavailableException unavailable => unavailable,
            PostgresException { SqlState: "28P01" or "28000" } p => new StoreUnavailableException(
                $"PostgreSQL at {server} refused the sign-in ({p.MessageText}); check the user and password in --postgres",
                e
            ),
            PostgresException { SqlState: "3D000" } p => new StoreUnavailableException(
                $"PostgreSQL at {server} has no such database ({p.MessageText}); create it (createdb) or name an "
                    + "existing one in --postgres",
                e
            ),
            PostgresException { SqlState: ['0', '8', ..] or ['5', '7', 'P', ..] } p => new StoreUnavailableException(
                $"PostgreSQL at {server} ended the connection ({p.MessageText}); check that the server is running, "
                    + "then try again",
                e
            ),
            PostgresException p => new StoreUnavailableException(
                $"PostgreSQL at {server} refused the Overlap store ({p.MessageText}); check that the user in "
                    + "--postgres may create tables in that database",
                e
            ),
            _ => new StoreUnavailableException(
                $"cannot reach PostgreSQL at {server} ({Cause(e)}); check that the server is running and that "
                    + "--postgres names its host and port",
                e
            ),
        };

    private static string Cause(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message.TrimEnd('.');
            }
            if (inner is TimeoutException)
            {
                return "no answer in time";
            }
        }
        return e.Message.TrimEnd('.');
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => source.DisposeAsync();

    /// <summary>
    /// One connection from the pool for <paramref name="work"/>. A server that cannot be reached, or refuses the
    /// connection (the database dropped, the password changed), or drops it mid-statement, becomes
    /// <see cref="StoreUnavailableException"/>; an error in a statement is left as it is.
    /// </summary>
    private async Task<T> WithConnectionAsync<T>(
        Func<NpgsqlConnection, Task<T>> work,
        CancellationToken cancellationToken
    )
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await work(connection).ConfigureAwait(false);
            }
            catch (NpgsqlException e) when (Lost(e) && !cancellationToken.IsCancellationRequested)
            {
                throw Unavailable(e, server);
            }
        }
    }

    /// <summary>A connection from the pool; a server that cannot be reached is <see cref="StoreUnavailableException"/>.</summary>
    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
            when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(e, server);
        }
    }

    /// <summary>Whether the connection was lost (broken, or ended by the server: classes 08 and 57P), not a statement refused.</summary>
    private static bool Lost(NpgsqlException e) =>
        e is not PostgresException || e is PostgresException { SqlState: ['0', '8', ..] or ['5', '7', 'P', ..] };

    /// <summary>Statements in one transaction, committed when <paramref name="work"/> returns.</summary>
    private Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken) =>
        WithConnectionAsync(
            async connection =>
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var result = await work(connection).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
            },
            cancellationToken
        );

    /// <summary>One statement; how many rows it changed.</summary>
    private Task<int> WriteAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] args) =>
        WithConnectionAsync(c => WriteAsync(c, sql, cancellationToken, args), cancellationToken);

    private static async Task<int> WriteAsync(
        NpgsqlConnection connection,
        string sql,
        CancellationToken cancellationToken,
        params (string, object?)[] args
    )
    {
        await using var command = new NpgsqlCommand(sql, connection);
        AddParameters(command, args);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One statement's single value (an id, a version, a sum).</summary>
    private static async Task<object?> ScalarAsync(
        NpgsqlConnection connection,
        string sql,
        CancellationToken cancellationToken,
        params (string, object?)[] args
    )
    {
        await using var command = new NpgsqlCommand(sql, connection);
        AddParameters(command, args);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<object?> ScalarAsync(
        string sql,
        CancellationToken cancellationToken,
        params (string, object?)[] args
    ) => WithConnectionAsync(c => ScalarAsync(c, sql, cancellationToken, args), cancellationToken);

    /// <summary>The rows of one query, each read by <paramref name="read"/>.</summary>
    private Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql,
        Func<DbDataReader, T> read,
        CancellationToken cancellationToken,
        params (string, object?)[] args
    ) =>
        WithConnectionAsync<IReadOnlyList<T>>(
            async connection =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                AddParameters(command, args);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var rows = new List<T>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(read(reader));
                    }
                    return rows;
                }
            },
            cancellationToken
        );

    /// <summary>Named parameters: null as NULL, a time as stored (to the microsecond, UTC), a typed parameter as it is.</summary>
    private static void AddParameters(NpgsqlCommand command, (string Name, object? Value)[] args) =>
        AddParameters(command.Parameters, args);

    private static void AddParameters(NpgsqlParameterCollection parameters, (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args)
        {
            if (value is NpgsqlParameter typed)
            {
                typed.ParameterName = name;
                parameters.Add(typed);
                continue;
            }
            parameters.Add(
                new NpgsqlParameter(
                    name,
                    value switch
                    {
                        null => DBNull.Value,
                        DateTimeOffset time => UnixMicroseconds.Stored(time),
                        _ => value,
                    }
                )
            );
        }
    }

    private static DateTimeOffset Time(DbDataReader r, int column) => r.GetFieldValue<DateTimeOffset>(column);

    private static DateTimeOffset? OptionalTime(DbDataReader r, int column) =>
        r.IsDBNull(column) ? null : r.GetFieldValue<DateTimeOffset>(column);

    private static string? OptionalText(DbDataReader r, int column) => r.IsDBNull(column) ? null : r.GetString(column);
}
