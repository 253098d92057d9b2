using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Server.Auth;
using Overlap.Server.Monitoring;

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
        string feature, string? from, string? to, int? resamples, FeatureMonitor monitor, ServerOptions options, CancellationToken cancellationToken)
    {
        if (await monitor.ContractAsync(feature, cancellationToken).ConfigureAwait(false) is not var (contract, version))
        {
            return Answers.NoSuchFeature(feature);
        }
        var length = FeatureMonitor.WindowLength(contract);
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
        var evaluation = resamples is { } r ? new EvaluationOptions { Resamples = r } : new EvaluationOptions();
        var report = await monitor.ReportAsync(contract, version, windows, evaluation, cancellationToken).ConfigureAwait(false);
        return TypedResults.Content(ReportJson.Write(report), "application/json");
    }

    private static BadRequest<ProblemDetails> Bad(string detail) =>
        TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "The range is not valid", Detail = detail });
}
