using Overlap.Storage.Tests.Conformance;

namespace Overlap.Storage.Tests.Postgres;

/// <summary>
/// The server backend's state store for the conformance suite: each store a new database on the shared PostgreSQL
/// server (<see cref="PostgresServer"/>), dropped when the test ends.
/// </summary>
public sealed class PostgresBackend : IConformanceBackend
{
    private readonly List<string> _databases = [];

    public StorageOptions NewStore()
    {
        var database = PostgresServer.CreateDatabase();
        _databases.Add(database);
        return new StorageOptions
        {
            Backend = StorageBackend.Server,
            Location = Path.Combine(Path.GetTempPath(), "overlap-server-instance"),
            Postgres = database,
        };
    }

    public void Dispose() => _databases.ForEach(PostgresServer.DropDatabase);
}

// The state capabilities PostgreSQL holds. CalibrationConformance, ReviewConformance and GradeConformance also append
// events and route reviews: they run on the server backend as a whole (Server/ServerConformance.cs).
public sealed class PostgresAlertConformance : AlertConformance<PostgresBackend>;

public sealed class PostgresWindowHoldConformance : WindowHoldConformance<PostgresBackend>;

public sealed class PostgresUserConformance : UserConformance<PostgresBackend>;

public sealed class PostgresKeyConformance : KeyConformance<PostgresBackend>;

public sealed class PostgresAuditConformance : AuditConformance<PostgresBackend>;

public sealed class PostgresEvaluationConformance : EvaluationConformance<PostgresBackend>;
