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
/// <item><c>GET /v1/experiments/{e}/gate?pass=rollout</c>: 200 when the decision is one of <c>pass</c>, 409 with the
/// decision otherwise, for a tool that gates on a status code (Flagger's webhooks, <c>curl --fail</c>);</item>
/// <item><c>GET /v1/experiments/{e}/assign?unit=…</c>: the arm of a unit, as the SDK's <c>Assign</c> computes it (any
/// key, so an application with an ingest key may ask);</item>
/// <item><c>GET /v1/experiments/{e}/rule</c>: the salt, split and versions, so the SDK assigns units itself (any
/// key).</item>
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
        read.MapGet("/{experiment}/gate", GateAsync);
        app.MapGet("/v1/experiments/{experiment}/assign", Assign).WithTags("Experiments").RequireAuthorization();
        app.MapGet("/v1/experiments/{experiment}/rule", Rule).WithTags("Experiments").RequireAuthorization();
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
            var report = await reader.AnalyzeAsync(found, estimate: false, cancellationToken).ConfigureAwait(false);
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
        var report = await reader.AnalyzeAsync(found, estimate: true, cancellationToken).ConfigureAwait(false);
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
        var report = await reader.AnalyzeAsync(found, estimate: false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ExperimentSummary.Of(found, report));
    }

    private static async Task<
        Results<Ok<ExperimentSummary>, NotFound<ProblemDetails>, Conflict<ProblemDetails>, BadRequest<ProblemDetails>>
    > GateAsync(
        string experiment,
        string? pass,
        ExperimentReader reader,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        var wanted = (pass ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = wanted.Where(w => !Decisions.Contains(w, StringComparer.Ordinal)).ToList();
        if (wanted.Length == 0 || unknown.Count > 0)
        {
            return Problems.BadRequest(
                "No decision to pass on",
                (unknown.Count > 0 ? $"'{string.Join(", ", unknown)}' is not a decision; " : "")
                    + $"name the decisions that open the gate: /v1/experiments/{experiment}/gate?pass=rollout (any of {string.Join(", ", Decisions)}, comma-separated)"
            );
        }
        var (found, missing, ambiguous) = One(reader, experiment);
        if (found is null)
        {
            return missing is null ? ambiguous! : missing;
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var summary = ExperimentSummary.Of(
            found,
            await reader.AnalyzeAsync(found, estimate: false, cancellationToken).ConfigureAwait(false)
        );
        return wanted.Contains(summary.Decision, StringComparer.Ordinal)
            ? TypedResults.Ok(summary)
            : Problems.Conflict($"The decision is {summary.Decision}", summary.Statement);
    }

    /// <summary>The decisions, as the API words them.</summary>
    private static readonly string[] Decisions = ["rollout", "rollback", "running", "stop"];

    private static Results<
        Ok<ExperimentArm>,
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
        return TypedResults.Ok(found.Rule.Assign(unit));
    }

    private static Results<Ok<ExperimentRule>, NotFound<ProblemDetails>, Conflict<ProblemDetails>> Rule(
        string experiment,
        ExperimentReader reader
    )
    {
        var (found, missing, ambiguous) = One(reader, experiment);
        if (found is null)
        {
            return missing is null ? ambiguous! : missing;
        }
        return TypedResults.Ok(found.Rule);
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
