using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Events.Experiments;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Ingest;

namespace Overlap.Server.Experiments;

/// <summary>
/// Experiments on live traffic (docs/experiments.md):
/// <list type="bullet">
/// <item><c>GET /v1/experiments</c>: every experiment of every contract with its decision;</item>
/// <item><c>GET /v1/experiments/{e}</c>: the analysis (arms, split check, every figure with both intervals, the plan);</item>
/// <item><c>GET /v1/experiments/{e}/history</c>: the analysis day by day since the start (ExperimentEndpoints.History.cs);</item>
/// <item><c>GET /v1/experiments/{e}/decision</c>: rollout, rollback, running or stop, with the statement and reasons,
/// for a deployment pipeline;</item>
/// <item><c>GET /v1/experiments/{e}/assign?unit=…</c>: the arm of a unit, as the SDK's <c>Assign</c> computes it (any
/// key, so an application with an ingest key may ask).</item>
/// </list>
/// </summary>
internal static partial class ExperimentEndpoints
{
    public static void MapExperiments(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/experiments").WithTags("Experiments").RequireAuthorization(Policies.Read);
        read.MapGet("/", ListAsync);
        read.MapGet("/{experiment}", AnalysisAsync);
        read.MapGet("/{experiment}/decision", DecisionAsync);
        read.MapGet("/{experiment}/history", HistoryAsync);
        app.MapGet("/v1/experiments/{experiment}/assign", Assign).WithTags("Experiments").RequireAuthorization();
    }

    private static async Task<Ok<ExperimentSummary[]>> ListAsync(
        ExperimentReader reader,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ExperimentSummary>();
        foreach (var found in reader.All())
        {
            var report = await reader.AnalyzeAsync(found, cancellationToken).ConfigureAwait(false);
            list.Add(ExperimentSummary.Of(found, report));
        }
        return TypedResults.Ok(list.ToArray());
    }

    private static async Task<
        Results<Ok<ExperimentResponse>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>
    > AnalysisAsync(string experiment, ExperimentReader reader, LogLoader loader, CancellationToken cancellationToken)
    {
        var (found, missing, ambiguous) = One(reader, experiment);
        if (found is null)
        {
            return missing is null ? ambiguous! : missing;
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var report = await reader.AnalyzeAsync(found, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ExperimentResponse.Of(found, report));
    }

    private static async Task<
        Results<Ok<ExperimentSummary>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>
    > DecisionAsync(string experiment, ExperimentReader reader, LogLoader loader, CancellationToken cancellationToken)
    {
        var (found, missing, ambiguous) = One(reader, experiment);
        if (found is null)
        {
            return missing is null ? ambiguous! : missing;
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var report = await reader.AnalyzeAsync(found, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ExperimentSummary.Of(found, report));
    }

    private static Results<
        Ok<AssignResponse>,
        NotFound<ProblemDetails>,
        Conflict<ProblemDetails>,
        BadRequest<ProblemDetails>
    > Assign(string experiment, string? unit, ExperimentReader reader)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return Problems.BadRequest(
                "No unit",
                $"name the unit to assign: /v1/experiments/{experiment}/assign?unit=user-42 (a prediction id, or the value of the experiment's unit attribute)"
            );
        }
        var (found, missing, ambiguous) = One(reader, experiment);
        if (found is null)
        {
            return missing is null ? ambiguous! : missing;
        }
        var spec = found.Spec;
        var arm = spec.Shadow ? 0 : ArmAssignment.Arm(spec.Salt, unit, spec.Split);
        return TypedResults.Ok(
            new AssignResponse(
                spec.Name,
                found.Contract.Feature,
                unit,
                arm == 0 ? "control" : "treatment",
                arm == 0 ? spec.Control : spec.Treatment
            )
        );
    }

    /// <summary>The one experiment of that name, or 404 (none) or 409 (in several features' contracts).</summary>
    private static (FoundExperiment? Found, NotFound<ProblemDetails>? Missing, Conflict<ProblemDetails>? Ambiguous) One(
        ExperimentReader reader,
        string experiment
    )
    {
        var found = reader.Find(experiment);
        return found.Count switch
        {
            1 => (found[0], null, null),
            0 => (
                null,
                Problems.NotFound(
                    "No such experiment",
                    $"no contract declares an experiment named '{experiment}'; add it under 'experiments:' in the feature's contract (docs/contract.md#experiments)"
                ),
                null
            ),
            _ => (
                null,
                null,
                Problems.Conflict(
                    "Ambiguous experiment",
                    $"the contracts of {string.Join(" and ", found.Select(f => f.Contract.Feature))} each declare an experiment named '{experiment}'; rename one so each name is unique"
                )
            ),
        };
    }
}
