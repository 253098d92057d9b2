using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;

namespace Overlap.Server.Api;

/// <summary>
/// A 200 answer carrying a report as <c>overlap eval --format json</c> writes it: through <see cref="ReportJson"/>
/// (snake_case, a figure that is not finite as null, indented), so the API and the CLI write one shape. Declared in the
/// OpenAPI document as a <typeparamref name="T"/> response, so the document has the report's schema.
/// </summary>
internal sealed class ReportResult<T>
    : IResult,
        IStatusCodeHttpResult,
        IValueHttpResult,
        IValueHttpResult<T>,
        IContentTypeHttpResult,
        IEndpointMetadataProvider
{
    private readonly Func<T, string> _write;

    internal ReportResult(T value, Func<T, string> write)
    {
        Value = value;
        _write = write;
    }

    /// <summary>The report.</summary>
    public T Value { get; }

    object? IValueHttpResult.Value => Value;

    public static int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = ContentType;
        return httpContext.Response.WriteAsync(_write(Value), httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(
            new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"])
        );
    }
}

/// <summary>The reports the API answers with, each written through <see cref="ReportJson"/>.</summary>
internal static class Reports
{
    /// <summary>Production windows judged against the contract.</summary>
    public static ReportResult<MonitoringReport> Ok(MonitoringReport report) => new(report, ReportJson.Write);

    /// <summary>A range judged as one.</summary>
    public static ReportResult<RangeReport> Ok(RangeReport report) => new(report, ReportJson.Write);

    /// <summary>An evaluation run's report.</summary>
    public static ReportResult<EvaluationReport> Ok(EvaluationReport report) => new(report, ReportJson.Write);

    /// <summary>Two evaluation runs compared.</summary>
    public static ReportResult<RunComparison> Ok(RunComparison comparison) => new(comparison, ReportJson.Write);

    /// <summary>A model judge's agreement with people per criterion.</summary>
    public static ReportResult<JudgeAgreementReport> Ok(JudgeAgreementReport report) => new(report, ReportJson.Write);

    /// <summary>A feature's users and business impact.</summary>
    public static ReportResult<Overlap.Core.Usage.UsageReport> Ok(Overlap.Core.Usage.UsageReport report) =>
        new(report, ReportJson.Write);
}
