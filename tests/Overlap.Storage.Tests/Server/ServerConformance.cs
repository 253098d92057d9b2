using Overlap.Storage.Tests.ClickHouse;
using Overlap.Storage.Tests.Conformance;
using Overlap.Storage.Tests.Postgres;

namespace Overlap.Storage.Tests.Server;

/// <summary>
/// The server backend as a whole for the conformance suites that need state and events together: each store a new
/// PostgreSQL database for its state and a new ClickHouse database on the two-shard cluster for its events.
/// </summary>
public sealed class ServerBackend : IConformanceBackend
{
    private readonly PostgresBackend _state = new();
    private readonly ClickHouseBackend _events = new();

    public StorageOptions NewStore() => _events.AddTo(_state.NewStore());

    public void Dispose()
    {
        _events.Dispose();
        _state.Dispose();
    }
}

[Collection(ClickHouseCluster.Name)]
public sealed class ServerEventConformance : EventConformance<ServerBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ServerCalibrationConformance : CalibrationConformance<ServerBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ServerReceivedOrderConformance : ReceivedOrderConformance<ServerBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ServerReviewConformance : ReviewConformance<ServerBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ServerGradeConformance : GradeConformance<ServerBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ServerChunkConformance : ChunkConformance<ServerBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ServerSubjectConformance : SubjectConformance<ServerBackend>;

[Collection(ClickHouseCluster.Name)]
public sealed class ServerWorkflowReviewConformance : WorkflowReviewConformance<ServerBackend>;
