namespace Overlap.Storage;

/// <summary>Evaluation runs: reports of <c>overlap eval</c> uploaded, or files evaluated by the server, kept per feature.</summary>
public interface IEvaluationStore
{
    /// <summary>Stores a run and gives it an id (ids grow: a later run has a larger id).</summary>
    Task<EvaluationRun> AddEvaluationRunAsync(NewEvaluationRun run, CancellationToken cancellationToken = default);

    /// <summary>The feature's runs without their reports, newest first.</summary>
    Task<IReadOnlyList<EvaluationRun>> ListEvaluationRunsAsync(
        string feature,
        CancellationToken cancellationToken = default
    );

    /// <summary>One run of the feature with its report JSON; null when the feature has no run with that id.</summary>
    Task<(EvaluationRun Run, string Report)?> GetEvaluationRunAsync(
        string feature,
        long id,
        CancellationToken cancellationToken = default
    );
}

/// <summary>A run to store.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="ContractVersion">The contract version it was judged against, when known.</param>
/// <param name="Name">The name a person gave it ("model v2").</param>
/// <param name="UploadedBy">Who added it (the key's name).</param>
/// <param name="UploadedAt">When.</param>
/// <param name="Source">upload (a report from <c>overlap eval</c>) or run (a data file evaluated by the server).</param>
/// <param name="N">Examples evaluated.</param>
/// <param name="Verdict">pass, fail or inconclusive.</param>
/// <param name="Report">The report JSON, as <c>overlap eval --format json</c> writes it.</param>
public sealed record NewEvaluationRun(
    string Feature,
    int? ContractVersion,
    string Name,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    string Source,
    long N,
    string Verdict,
    string Report
);

/// <summary>A stored run, without its report.</summary>
public sealed record EvaluationRun(
    long Id,
    string Feature,
    int? ContractVersion,
    string Name,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    string Source,
    long N,
    string Verdict
);
