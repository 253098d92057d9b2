using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Reports;
using Overlap.Server.Auth;
using Overlap.Server.Evaluations;
using Overlap.Storage;

namespace Overlap.Server.Endpoints;

/// <summary>
/// Evaluation runs: reports uploaded from <c>overlap eval</c> and data files evaluated here (reviewer or admin: people
/// who judge the feature's quality), read and compared by anyone who may read the feature.
/// </summary>
internal static class EvaluationEndpoints
{
    public static RouteGroupBuilder MapEvaluations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}/evaluations").WithTags("Evaluations");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read);
        group.MapPost("/", UploadAsync).RequireAuthorization(Policies.Review);
        group.MapPost("/run", RunAsync).RequireAuthorization(Policies.Review);
        group.MapGet("/compare", CompareAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.Read);
        return group;
    }

    /// <summary>Who added a run: the key's name, as for contracts.</summary>
    public static string Who(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? "unknown";

    private static async Task<Results<Ok<IReadOnlyList<EvaluationRun>>, NotFound<ProblemDetails>>> ListAsync(
        string feature, IEvaluationStore runs, ContractRegistry features, CancellationToken cancellationToken) =>
        features.Has(feature)
            ? TypedResults.Ok(await runs.ListEvaluationRunsAsync(feature, cancellationToken).ConfigureAwait(false))
            : Answers.NoSuchFeature(feature);

    private static async Task<Results<Created<EvaluationRun>, ProblemHttpResult>> UploadAsync(
        string feature, string? name, [FromQuery(Name = "contract_version")] int? contractVersion, HttpRequest request, ClaimsPrincipal user,
        EvaluationRuns runs, ContractRegistry features, ServerOptions options, CancellationToken cancellationToken)
    {
        if (!features.Has(feature))
        {
            return Problem(Answers.NoSuchFeature(feature).Value!);
        }
        var upload = await Upload.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (upload.Content is null)
        {
            return Refused(upload, "The report cannot be read");
        }
        return Answer(await runs.AddReportAsync(feature, upload.Content, name ?? upload.Name, contractVersion, Who(user), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Created<EvaluationRun>, ProblemHttpResult>> RunAsync(
        string feature, string? name, string? format, int? resamples, ulong? seed, HttpRequest request, ClaimsPrincipal user,
        EvaluationRuns runs, ContractRegistry features, ServerOptions options, CancellationToken cancellationToken)
    {
        if (!features.Has(feature))
        {
            return Problem(Answers.NoSuchFeature(feature).Value!);
        }
        if (Answers.ResamplesProblem(resamples) is { } bad)
        {
            return Problem(400, "A parameter is not valid", bad);
        }
        var upload = await Upload.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (upload.Content is null)
        {
            return Refused(upload, "The data file cannot be read");
        }
        var fileName = upload.FileName ?? "the body";
        var dataFormat = format is not null ? FormatNamed(format) : upload.FileName is not null ? DataFormats.FromFileName(upload.FileName) : FormatOf(request.ContentType);
        if (dataFormat is null)
        {
            return Problem(400, "The data format is unknown",
                $"Cannot tell the format of {fileName}: send Content-Type text/csv, application/x-ndjson or application/vnd.apache.parquet, add ?format=csv|jsonl|parquet, or upload it as the 'file' part of a multipart form with its file name (.csv, .jsonl, .parquet, optionally .gz).");
        }
        var added = await runs.RunAsync(feature, upload.Content, fileName, dataFormat.Value, name ?? upload.Name, Who(user),
            resamples ?? EvaluationOptions.DefaultResamples, seed ?? EvaluationOptions.DefaultSeed, cancellationToken).ConfigureAwait(false);
        return Answer(added);
    }

    private static async Task<Results<ContentHttpResult, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> GetAsync(
        string feature, long id, string? format, EvaluationRuns runs, HttpResponse response, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "html"))
        {
            return TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "The format is unknown", Detail = $"format is '{format}'; use json (the default) or html." });
        }
        if (await runs.ReadAsync(feature, id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return NoSuchRun(feature, id);
        }
        if (format == "html")
        {
            return Html(response, found.Report);
        }
        return TypedResults.Text(ReportJson.Write(found.Report), "application/json");
    }

    /// <summary>The report as the same self-contained HTML page <c>overlap eval --format html</c> writes; it runs no script.</summary>
    public static ContentHttpResult Html(HttpResponse response, EvaluationReport report)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
        return TypedResults.Text(HtmlReport.Write(report), "text/html; charset=utf-8");
    }

    private static async Task<Results<ContentHttpResult, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> CompareAsync(
        string feature, long? a, long? b, EvaluationRuns runs, CancellationToken cancellationToken)
    {
        if (a is not { } first || b is not { } second)
        {
            return TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "Two runs are needed", Detail = $"Name them by id: /v1/features/{feature}/evaluations/compare?a=1&b=2 (GET /v1/features/{feature}/evaluations lists the ids)." });
        }
        if (await runs.CompareAsync(feature, first, second, cancellationToken).ConfigureAwait(false) is not { } comparison)
        {
            return NoSuchRun(feature, first, second);
        }
        return TypedResults.Text(ReportJson.Write(comparison), "application/json");
    }

    private static NotFound<ProblemDetails> NoSuchRun(string feature, params long[] ids) =>
        TypedResults.NotFound(new ProblemDetails
        {
            Status = 404,
            Title = "No such evaluation run",
            Detail = $"{feature} has no run {string.Join(" or ", ids)}; GET /v1/features/{feature}/evaluations lists its runs.",
        });

    private static DataFormat? FormatNamed(string format) => format.ToLowerInvariant() switch
    {
        "csv" => DataFormat.Csv,
        "jsonl" or "ndjson" => DataFormat.JsonLines,
        "parquet" => DataFormat.Parquet,
        _ => null,
    };

    private static DataFormat? FormatOf(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "text/csv" => DataFormat.Csv,
        "application/x-ndjson" or "application/jsonl" or "application/jsonlines" or "application/x-jsonlines" => DataFormat.JsonLines,
        "application/vnd.apache.parquet" or "application/x-parquet" => DataFormat.Parquet,
        _ => null,
    };

    private static Results<Created<EvaluationRun>, ProblemHttpResult> Answer(RunAdded added) =>
        added.Run is { } run
            ? TypedResults.Created($"/v1/features/{run.Feature}/evaluations/{run.Id}", run)
            : Problem(added.Status, added.Title, added.Detail);

    private static ProblemHttpResult Refused(Upload upload, string title) =>
        Problem(upload.Status, upload.Status == 413 ? "The file is too large" : title, upload.Problem!);

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    private static ProblemHttpResult Problem(ProblemDetails problem) => TypedResults.Problem(problem);
}
