using Overlap.Storage;

namespace Overlap.Server.Evaluations;

/// <summary>
/// An evaluation run as the API writes it: its id, the contract version it was judged by (when known), its name, who
/// added it and when, how (upload: a report from overlap eval; run: a data file evaluated here), its examples and verdict.
/// </summary>
public sealed record EvaluationRunView(
    long Id,
    string Feature,
    int? ContractVersion,
    string Name,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    string Source,
    long N,
    string Verdict
)
{
    /// <summary>The view of a stored run.</summary>
    public static EvaluationRunView Of(EvaluationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(
            run.Id,
            run.Feature,
            run.ContractVersion,
            run.Name,
            run.UploadedBy,
            run.UploadedAt,
            run.Source,
            run.N,
            run.Verdict
        );
    }
}
