using System.Diagnostics;
using Npgsql;

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
        var script = Path.Combine(RepositoryRoot(), "scripts", "services", "postgres.sh");
        var folder = Directory.CreateTempSubdirectory("overlap-postgres-").FullName;
        var output = Run(script, "start", folder);
        StopWhenThisProcessEnds(script, folder);
        const string Key = "OVERLAP_TEST_POSTGRES=";
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal));
        return line?[Key.Length..].Trim()
            ?? throw new InvalidOperationException($"{script} printed no {Key} line: {output}");
    }

    /// <summary>
    /// Stops the server (and removes its folder) once this process is gone, however it ends: the test host may be
    /// killed rather than exit, and then no exit handler runs. The watcher is a session of its own, outside this
    /// process's tree, with nothing of ours open.
    /// </summary>
    private static void StopWhenThisProcessEnds(string script, string folder)
    {
        const string Watch = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            exec bash "$2" stop "$3"
            """;
        var watcher = new ProcessStartInfo("setsid")
        {
            ArgumentList =
            {
                "-f",
                "bash",
                "-c",
                Watch,
                "overlap-postgres-watch",
                Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                script,
                folder,
            },
        };
        using var started = Process.Start(watcher)!;
        started.WaitForExit();
    }

    private static string Run(string script, string action, string folder)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script, action, folder },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {action} failed ({process.ExitCode}): {stderr.Result}");
        }
        return stdout;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Overlap.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Overlap.slnx not found above " + AppContext.BaseDirectory);
    }
}
