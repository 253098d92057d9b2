using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Reports;
using Overlap.Server.Api;
using Overlap.Server.Auth;

namespace Overlap.Server.Evaluations;

/// <summary>
/// Evaluation runs: reports uploaded from <c>overlap eval</c> and data files evaluated here (reviewer or admin: people
/// who judge the feature's quality), read and compared by anyone who may read the feature.
/// </summary>
internal static class EvaluationEndpoints
{
    public static RouteGroupBuilder MapEvaluations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}/evaluations").WithTags("Evaluations");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).RequireFeature();
        group.MapPost("/", UploadAsync).RequireAuthorization(Policies.Review).RequireFeature();
        group.MapPost("/run", RunAsync).RequireAuthorization(Policies.Review).RequireFeature();
        group.MapGet("/compare", CompareAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.Read);
        return group;
    }

    /// <summary>Who added a run: the key's name, as for contracts.</summary>
    public static string Who(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? "unknown";

    private static async Task<Ok<EvaluationRunView[]>> ListAsync(
        string feature,
        EvaluationRuns runs,
        CancellationToken cancellationToken
    ) =>
        TypedResults.Ok(
            (await runs.ListAsync(feature, cancellationToken).ConfigureAwait(false))
                .Select(EvaluationRunView.Of)
                .ToArray()
        );

    private static async Task<Results<Created<EvaluationRunView>, ProblemHttpResult>> UploadAsync(
        string feature,
        string? name,
        [FromQuery(Name = "contract_version")] int? contractVersion,
        HttpRequest request,
        ClaimsPrincipal user,
        EvaluationRuns runs,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        var upload = await Upload.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (upload.Content is null)
        {
            return Refused(upload, "The report cannot be read");
        }
        return Answer(
            await runs.AddReportAsync(
                    feature,
                    upload.Content,
                    name ?? upload.Name,
                    contractVersion,
                    Who(user),
                    cancellationToken
                )
                .ConfigureAwait(false)
        );
    }

    private static async Task<Results<Created<EvaluationRunView>, ProblemHttpResult>> RunAsync(
        string feature,
        string? name,
        string? format,
        int? resamples,
        ulong? seed,
        HttpRequest request,
        ClaimsPrincipal user,
        EvaluationRuns runs,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        if (Answers.ResamplesProblem(resamples) is { } bad)
        {
            return Problems.Status(400, "A parameter is not valid", bad);
        }
        var upload = await Upload.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (upload.Content is null)
        {
            return Refused(upload, "The data file cannot be read");
        }
        var fileName = upload.FileName ?? "the body";
        var dataFormat =
            format is not null ? FormatNamed(format)
            : upload.FileName is not null ? DataFormats.FromFileName(upload.FileName)
            : FormatOf(request.ContentType);
        if (dataFormat is null)
        {
            return Problems.Status(
                400,
                "The data format is unknown",
                $"Cannot tell the format of {fileName}: send Content-Type text/csv, application/x-ndjson or application/vnd.apache.parquet, add ?format=csv|jsonl|parquet, or upload it as the 'file' part of a multipart form with its file name (.csv, .jsonl, .parquet, optionally .gz)."
            );
        }
        var added = await runs.RunAsync(
                feature,
                upload.Content,
                fileName,
                dataFormat.Value,
                name ?? upload.Name,
                Who(user),
                resamples ?? EvaluationOptions.DefaultResamples,
                seed ?? EvaluationOptions.DefaultSeed,
                cancellationToken
            )
            .ConfigureAwait(false);
        return Answer(added);
    }

    private static async Task<
        Results<ReportResult<EvaluationReport>, ContentHttpResult, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > GetAsync(
        string feature,
        long id,
        string? format,
        EvaluationRuns runs,
        HttpResponse response,
        CancellationToken cancellationToken
    )
    {
        if (format is not (null or "json" or "html"))
        {
            return Problems.BadRequest(
                "The format is unknown",
                $"format is '{format}'; use json (the default) or html."
            );
        }
        if (await runs.ReadAsync(feature, id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return NoSuchRun(feature, id);
        }
        if (format == "html")
        {
            return Html(response, found.Report);
        }
        return Reports.Ok(found.Report);
    }

    /// <summary>The report as the same self-contained HTML page <c>overlap eval --format html</c> writes; it runs no script.</summary>
    public static ContentHttpResult Html(HttpResponse response, EvaluationReport report)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
        return TypedResults.Text(HtmlReport.Write(report), "text/html; charset=utf-8");
    }

    private static async Task<
        Results<ReportResult<RunComparison>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > CompareAsync(string feature, long? a, long? b, EvaluationRuns runs, CancellationToken cancellationToken)
    {
        if (a is not { } first || b is not { } second)
        {
            return Problems.BadRequest(
                "Two runs are needed",
                $"Name them by id: /v1/features/{feature}/evaluations/compare?a=1&b=2 (GET /v1/features/{feature}/evaluations lists the ids)."
            );
        }
        if (
            await runs.CompareAsync(feature, first, second, cancellationToken).ConfigureAwait(false)
            is not { } comparison
        )
        {
            return NoSuchRun(feature, first, second);
        }
        return Reports.Ok(comparison);
    }

    private static NotFound<ProblemDetails> NoSuchRun(string feature, params long[] ids) =>
        Problems.NotFound(
            "No such evaluation run",
            $"{feature} has no run {string.Join(" or ", ids)}; GET /v1/features/{feature}/evaluations lists its runs."
        );

    private static DataFormat? FormatNamed(string format) =>
        format.ToLowerInvariant() switch
        {
            "csv" => DataFormat.Csv,
            "jsonl" or "ndjson" => DataFormat.JsonLines,
            "parquet" => DataFormat.Parquet,
            _ => null,
        };

    private static DataFormat? FormatOf(string? contentType) =>
        contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "text/csv" => DataFormat.Csv,
            "application/x-ndjson" or "application/jsonl" or "application/jsonlines" or "application/x-jsonlines" =>
                DataFormat.JsonLines,
            "application/vnd.apache.parquet" or "application/x-parquet" => DataFormat.Parquet,
            _ => null,
        };

    private static Results<Created<EvaluationRunView>, ProblemHttpResult> Answer(RunAdded added) =>
        added.Run is { } run
            ? TypedResults.Created($"/v1/features/{run.Feature}/evaluations/{run.Id}", EvaluationRunView.Of(run))
            : Problems.Status(added.Status, added.Title, added.Detail);

    private static ProblemHttpResult Refused(Upload upload, string title) =>
        Problems.Status(upload.Status, upload.Status == 413 ? "The file is too large" : title, upload.Problem!);
}
