using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>
/// <c>GET /v1/features/{feature}/export?labelled=true&amp;format=csv|parquet</c>: the next training set;
/// <c>?regression=true</c>: the predictions reviewers corrected or rejected, as regression cases.
/// </summary>
internal static class ExportEndpoints
{
    public static RouteGroupBuilder MapExport(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}").WithTags("Monitoring").RequireAuthorization(Policies.Read);
        group.MapGet("/export", ExportAsync).Audited(AuditActions.Export);
        return group;
    }

    private static async Task<
        Results<FileContentHttpResult, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > ExportAsync(
        string feature,
        bool? labelled,
        bool? regression,
        string? format,
        string? from,
        string? to,
        IEventReader events,
        IReviewStore reviews,
        ContractRegistry features,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        if (features.Find(feature) is not { } contract)
        {
            return Answers.NoSuchFeature(feature);
        }
        format ??= "csv";
        if (format is not ("csv" or "parquet"))
        {
            return Bad($"format '{format}' is not offered; use csv or parquet");
        }
        var start = from is null ? DateTimeOffset.UnixEpoch : Answers.Time(from);
        var end = to is null ? DateTimeOffset.MaxValue : Answers.Time(to);
        if (start is null || end is null || start >= end)
        {
            return Bad(
                $"from and to must be ISO 8601 dates or times {Answers.TimeRange} with from before to, e.g. ?from=2026-11-01&to=2026-11-08"
            );
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var rows = await events
            .ReadPredictionsAsync(
                feature,
                start.Value,
                end.Value,
                ProductionWindows.Attributes(contract),
                cancellationToken: cancellationToken
            )
            .ConfigureAwait(false);
        if (labelled == true)
        {
            rows = ProductionWindows.Labelled(rows);
        }
        if (regression == true)
        {
            // The predictions reviewers corrected or rejected, with the label they gave: cases for the next evaluation set.
            var cases = await reviews.RegressionCaseIdsAsync(feature, cancellationToken).ConfigureAwait(false);
            rows = ProductionWindows.Where(rows, i => cases.Contains(rows.Ids[i]));
        }
        var name = $"{feature}-{(regression == true ? "regression" : labelled == true ? "labelled" : "all")}";
        return format == "csv"
            ? TypedResults.File(TrainingSetExport.Csv(contract, rows), "text/csv", $"{name}.csv")
            : TypedResults.File(
                await TrainingSetExport.ParquetAsync(contract, rows, cancellationToken).ConfigureAwait(false),
                "application/vnd.apache.parquet",
                $"{name}.parquet"
            );
    }

    private static BadRequest<ProblemDetails> Bad(string detail) =>
        Problems.BadRequest("The export request is not valid", detail);
}
