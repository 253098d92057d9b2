using Npgsql;
using Overlap.Tests.Shared;

namespace Overlap.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests share: the one <c>OVERLAP_TEST_POSTGRES</c> names (scripts/test.sh starts it), or
/// else one started once per test run through scripts/services/postgres.sh and stopped when the run ends. Each store gets
/// its own database on it (<see cref="CreateDatabase"/>), so tests never see each other's rows.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<string> Server = new(Start);

    /// <summary>The connection string of the server's <c>postgres</c> database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A new, empty database with a unique name; its connection string.</summary>
    public static string CreateDatabase()
    {
        var name = "overlap_test_" + Guid.NewGuid().ToString("N");
        Admin($"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database <see cref="CreateDatabase"/> made, ending any session still on it.</summary>
    public static void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>One statement on the <c>postgres</c> database (database names cannot be parameters; ours are made here).</summary>
    public static void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("OVERLAP_TEST_POSTGRES") is { Length: > 0 } named)
        {
            return named;
        }
        var (values, script, _) = ServiceScript.Start("postgres", stopWithThisProcess: true);
        return values.GetValueOrDefault("OVERLAP_TEST_POSTGRES")
            ?? throw new InvalidOperationException($"{script} printed no OVERLAP_TEST_POSTGRES line");
    }
}
