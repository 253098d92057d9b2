using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Ingest;

namespace Overlap.Server.Experiments;

internal static partial class ExperimentEndpoints
{
    /// <summary>GET /v1/experiments/{e}/history: the analysis as it read at the end of each day since the start, the last now.</summary>
    private static async Task<
        Results<Ok<ExperimentHistoryResponse>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>
    > HistoryAsync(string experiment, ExperimentReader reader, LogLoader loader, CancellationToken cancellationToken)
    {
        var (found, missing, ambiguous) = One(reader, experiment);
        if (found is null)
        {
            return missing is null ? ambiguous! : missing;
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var history = await reader.HistoryAsync(found, estimate: false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ExperimentHistoryResponse.Of(found, history));
    }
}
