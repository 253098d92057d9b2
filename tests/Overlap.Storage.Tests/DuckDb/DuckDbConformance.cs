using Overlap.Storage.Tests.Conformance;

namespace Overlap.Storage.Tests.DuckDb;

/// <summary>The embedded backend for the conformance suite: each store in its own temporary data folder.</summary>
public sealed class DuckDbBackend : IConformanceBackend
{
    private readonly List<string> _folders = [];

    public StorageOptions NewStore()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-conformance-").FullName;
        _folders.Add(folder);
        return new StorageOptions { Backend = StorageBackend.DuckDb, Location = folder };
    }

    public void Dispose() => _folders.ForEach(f => Directory.Delete(f, recursive: true));
}

public sealed class DuckDbEventConformance : EventConformance<DuckDbBackend>;

public sealed class DuckDbLogAndChangeConformance : LogAndChangeConformance<DuckDbBackend>;

public sealed class DuckDbReviewConformance : ReviewConformance<DuckDbBackend>;

public sealed class DuckDbAlertConformance : AlertConformance<DuckDbBackend>;

public sealed class DuckDbUserConformance : UserConformance<DuckDbBackend>;

public sealed class DuckDbKeyConformance : KeyConformance<DuckDbBackend>;

public sealed class DuckDbEvaluationConformance : EvaluationConformance<DuckDbBackend>;

public sealed class DuckDbCalibrationConformance : CalibrationConformance<DuckDbBackend>;

public sealed class DuckDbEventRecordConformance : EventRecordConformance<DuckDbBackend>;

public sealed class DuckDbGradeConformance : GradeConformance<DuckDbBackend>;

public sealed class DuckDbReceivedOrderConformance : ReceivedOrderConformance<DuckDbBackend>;

public sealed class DuckDbChunkConformance : ChunkConformance<DuckDbBackend>;

public sealed class DuckDbSubjectConformance : SubjectConformance<DuckDbBackend>;

public sealed class DuckDbWorkflowConformance : WorkflowConformance<DuckDbBackend>;

public sealed class DuckDbWorkflowReviewConformance : WorkflowReviewConformance<DuckDbBackend>;

public sealed class DuckDbAuditConformance : AuditConformance<DuckDbBackend>;

public sealed class DuckDbWindowHoldConformance : WindowHoldConformance<DuckDbBackend>;
