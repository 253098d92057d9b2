using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Contracts;
using Overlap.Server.Auth;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Endpoints;

/// <summary><c>GET /v1/features/{feature}/export?labelled=true&amp;format=csv|parquet</c>: the next training set.</summary>
internal static class ExportEndpoints
{
    public static RouteGroupBuilder MapExport(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}").WithTags("Monitoring").RequireAuthorization(Policies.Read);
        group.MapGet("/export", ExportAsync);
        return group;
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> ExportAsync(
        string feature, bool? labelled, string? format, string? from, string? to, IEventStore store, CancellationToken cancellationToken)
    {
        var version = await store.GetContractAsync(feature, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "No such feature", Detail = $"'{feature}' has no contract yet; PUT one at /v1/features/{feature}/contract." });
        }
        format ??= "csv";
        if (format is not ("csv" or "parquet"))
        {
            return Bad($"format '{format}' is not offered; use csv or parquet");
        }
        DateTimeOffset start = DateTimeOffset.UnixEpoch, end = DateTimeOffset.MaxValue;
        if ((from is not null && !TryParse(from, out start)) || (to is not null && !TryParse(to, out end)) || start >= end)
        {
            return Bad("from and to must be ISO 8601 dates or times with from before to, e.g. ?from=2026-11-01&to=2026-11-08");
        }
        var contract = ContractParser.Parse(version.Yaml, $"{feature} contract, version {version.Version}");
        var rows = await store.ReadPredictionsAsync(feature, start, end, ProductionWindows.Attributes(contract), cancellationToken).ConfigureAwait(false);
        if (labelled == true)
        {
            rows = ProductionWindows.Labelled(rows);
        }
        var name = $"{feature}-{(labelled == true ? "labelled" : "all")}";
        return format == "csv"
            ? TypedResults.File(TrainingSetExport.Csv(contract, rows), "text/csv", $"{name}.csv")
            : TypedResults.File(await TrainingSetExport.ParquetAsync(contract, rows, cancellationToken).ConfigureAwait(false), "application/vnd.apache.parquet", $"{name}.parquet");
    }

    private static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static BadRequest<ProblemDetails> Bad(string detail) =>
        TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "The export request is not valid", Detail = detail });
}
