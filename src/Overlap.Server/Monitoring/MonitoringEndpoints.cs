using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;

namespace Overlap.Server.Monitoring;

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
        group.MapGet("/summary", SummaryAsync);
        group.MapGet("/judge-agreement", JudgeAgreementAsync);
        return group;
    }

    /// <summary>The range a summary covers when none is asked for.</summary>
    private static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    /// <summary>The most windows one summary may merge.</summary>
    private const int MaxMergedWindows = 10_000;

    private static async Task<
        Results<ReportResult<RangeReport>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > SummaryAsync(
        string feature,
        string? from,
        string? to,
        int? resamples,
        FeatureMonitor monitor,
        ContractRegistry features,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        if (features.Current(feature) is not var (contract, version, _))
        {
            return Answers.NoSuchFeature(feature);
        }
        var length = FeatureMonitor.WindowLength(contract);
        var range = Range(from, to, length, DefaultRange, options, MaxMergedWindows, resamples, out var problem);
        if (range is null)
        {
            return Bad(problem!);
        }
        var report = await monitor
            .RangeAsync(contract, version, range.Value.Windows, range.Value.Evaluation, cancellationToken)
            .ConfigureAwait(false);
        if (contract.Task == Core.Contracts.TaskKind.Generative)
        {
            // The windows' stored reports (computed only where missing), their rates added up.
            var windows = await monitor
                .ReportAsync(contract, version, range.Value.Windows, range.Value.Evaluation, cancellationToken)
                .ConfigureAwait(false);
            report = report with { Generative = GenerativeRange.Merge(windows.Windows, contract.Confidence) };
        }
        return Reports.Ok(report);
    }

    /// <summary>The windows of [from, to) (by default the <paramref name="fallback"/> up to the end of the current window) and the bootstrap asked for; null with the problem in words.</summary>
    private static (
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Windows,
        EvaluationOptions Evaluation
    )? Range(
        string? from,
        string? to,
        TimeSpan length,
        TimeSpan fallback,
        ServerOptions options,
        int maxWindows,
        int? resamples,
        out string? problem
    )
    {
        problem = null;
        var end = to is null ? WindowMonitor.Floor(options.Time.GetUtcNow(), length) + length : Answers.Time(to);
        var start = from is null ? end - fallback : Answers.Time(from);
        if (end is null || start is null || start >= end)
        {
            problem =
                $"from and to must be ISO 8601 times or dates {Answers.TimeRange} with from before to, e.g. ?from=2026-11-01&to=2026-11-08";
            return null;
        }
        // Counted before the windows are listed, so a range of centuries is refused without listing millions of them.
        var count = ((end.Value - WindowMonitor.Floor(start.Value, length)).Ticks + length.Ticks - 1) / length.Ticks;
        if (count > maxWindows)
        {
            problem = string.Create(
                CultureInfo.InvariantCulture,
                $"{count} windows of {WindowMonitor.Describe(length)} asked for; ask for at most {maxWindows} at a time"
            );
            return null;
        }
        var windows = WindowMonitor.Windows(start.Value, end.Value, length);
        if (Answers.ResamplesProblem(resamples) is { } bad)
        {
            problem = bad;
            return null;
        }
        return (windows, resamples is { } r ? new EvaluationOptions { Resamples = r } : new EvaluationOptions());
    }

    private static async Task<
        Results<ReportResult<MonitoringReport>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > MetricsAsync(
        string feature,
        string? from,
        string? to,
        int? resamples,
        FeatureMonitor monitor,
        ContractRegistry features,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        if (features.Current(feature) is not var (contract, version, _))
        {
            return Answers.NoSuchFeature(feature);
        }
        var length = FeatureMonitor.WindowLength(contract);
        var range = Range(from, to, length, DefaultWindows * length, options, MaxWindows, resamples, out var problem);
        if (range is null)
        {
            return Bad(problem!);
        }
        var (windows, evaluation) = range.Value;
        var report = await monitor
            .ReportAsync(contract, version, windows, evaluation, cancellationToken)
            .ConfigureAwait(false);
        return Reports.Ok(report);
    }

    /// <summary>
    /// A generative feature's model judge against people per rubric criterion over the last 30 days; 400 for a feature
    /// that is not generative.
    /// </summary>
    private static async Task<
        Results<ReportResult<JudgeAgreementReport>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>
    > JudgeAgreementAsync(
        string feature,
        ContractRegistry features,
        GenerativeWindows generative,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        if (features.Current(feature) is not var (contract, _, _))
        {
            return Answers.NoSuchFeature(feature);
        }
        if (contract.Task != Core.Contracts.TaskKind.Generative)
        {
            return Problems.BadRequest(
                "Not a generative feature",
                $"{feature} is a {contract.Task.ToString().ToLowerInvariant()} feature; a judge's agreement is measured for task: generative features only"
            );
        }
        var now = options.Time.GetUtcNow();
        var criteria = await generative.TrustAsync(contract, now, cancellationToken).ConfigureAwait(false);
        return Reports.Ok(
            new JudgeAgreementReport
            {
                Feature = feature,
                From = now - GenerativeWindows.TrustPeriod,
                To = now,
                Criteria = criteria,
            }
        );
    }

    private static BadRequest<ProblemDetails> Bad(string detail) =>
        Problems.BadRequest("The range is not valid", detail);
}
