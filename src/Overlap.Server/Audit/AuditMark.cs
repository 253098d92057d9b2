namespace Overlap.Server.Audit;

/// <summary>
/// An endpoint's word to <see cref="AuditMiddleware"/>: record its requests as <see cref="Action"/> (a read or an export
/// of data a person may not see unlogged), or never (<see cref="Skip"/>: ingest, whose volume is the product's
/// traffic, not a person's action). <see cref="Target"/> names what a request touched when its path would put personal
/// data in the log (a subject's id).
/// </summary>
internal sealed record AuditMark(string? Action, Func<HttpContext, string>? Target = null)
{
    /// <summary>Never recorded.</summary>
    public static AuditMark Skip { get; } = new((string?)null);
}

/// <summary>Marks endpoints for the audit log.</summary>
internal static class AuditMarks
{
    /// <summary>Records every request to these endpoints as <paramref name="action"/>.</summary>
    public static TBuilder Audited<TBuilder>(
        this TBuilder builder,
        string action,
        Func<HttpContext, string>? target = null
    )
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuditMark(action, target));

    /// <summary>Never records requests to these endpoints (ingest).</summary>
    public static TBuilder NotAudited<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(AuditMark.Skip);
}
