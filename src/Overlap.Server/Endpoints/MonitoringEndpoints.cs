using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Server.Auth;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Endpoints;

/// <summary><c>GET /v1/features/{feature}/metrics</c>: production windows judged against the latest contract.</summary>
internal static class MonitoringEndpoints
{
    /// <summary>Windows shown when no range is asked for.</summary>
    private const int DefaultWindows = 7;

    /// <summary>The most windows one request may ask for.</summary>
    private const int MaxWindows = 400;

    public static RouteGroupBuilder MapMonitoring(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features/{feature}").WithTags("Monitoring").RequireAuthorization(Policies.Read);
        group.MapGet("/metrics", MetricsAsync);
        return group;
    }

    private static async Task<Results<ContentHttpResult, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> MetricsAsync(
        string feature, string? from, string? to, int? resamples, IEventStore store, ServerOptions options, CancellationToken cancellationToken)
    {
        var version = await store.GetContractAsync(feature, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return Answers.NoSuchFeature(feature);
        }
        var contract = ContractParser.Parse(version.Yaml, $"{feature} contract, version {version.Version}");
        var length = contract.Monitoring?.Window ?? TimeSpan.FromDays(1);
        var end = to is null ? WindowMonitor.Floor(options.Time.GetUtcNow(), length) + length : Answers.Time(to);
        var start = from is null ? end - (DefaultWindows * length) : Answers.Time(from);
        if (end is null || start is null || start >= end)
        {
            return Bad("from and to must be ISO 8601 times or dates with from before to, e.g. ?from=2026-11-01&to=2026-11-08");
        }
        var windows = WindowMonitor.Windows(start.Value, end.Value, length);
        if (windows.Count > MaxWindows)
        {
            return Bad(string.Create(CultureInfo.InvariantCulture, $"{windows.Count} windows of {WindowMonitor.Describe(length)} asked for; ask for at most {MaxWindows} at a time"));
        }
        if (resamples is < 0 or > 10_000)
        {
            return Bad("resamples must be between 0 (no bootstrap intervals) and 10000");
        }
        var rows = await store.ReadPredictionsAsync(feature, windows[0].Start, windows[^1].End, ProductionWindows.Attributes(contract), cancellationToken).ConfigureAwait(false);
        var evaluation = resamples is { } r ? new EvaluationOptions { Resamples = r } : new EvaluationOptions();
        var referenceRows = await ReferenceRowsAsync(contract, store, cancellationToken).ConfigureAwait(false);
        var reference = referenceRows is null ? null : ProductionWindows.Inputs(contract, referenceRows, $"{feature} reference period");
        var calibration = referenceRows is null ? ScoreCalibration.Identity : ProductionWindows.Calibration(contract, referenceRows);
        List<WindowReport> summaries = [.. ProductionWindows.Cut(contract, rows, windows).Select(w => WindowMonitor.Summarize(contract, w, evaluation, reference, calibration))];
        var report = new MonitoringReport
        {
            Feature = feature,
            ContractVersion = version.Version,
            Window = WindowMonitor.Describe(length),
            Windows = summaries,
            Retrain = RetrainAdvisor.Advise(contract.Monitoring?.RetrainWhen, summaries),
        };
        return TypedResults.Content(ReportJson.Write(report), "application/json");
    }

    /// <summary>The reference period's predictions, when the contract names one (a reference file is for <c>overlap drift</c>).</summary>
    private static async Task<ProductionRows?> ReferenceRowsAsync(Contract contract, IEventStore store, CancellationToken cancellationToken)
    {
        if (contract.Monitoring?.Reference is not { From: { } from, To: { } to })
        {
            return null;
        }
        return await store.ReadPredictionsAsync(contract.Feature, from, to, ProductionWindows.Attributes(contract), cancellationToken).ConfigureAwait(false);
    }

    private static BadRequest<ProblemDetails> Bad(string detail) =>
        TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "The range is not valid", Detail = detail });
}
