using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Server.Audit;

/// <summary><c>GET /v1/audit</c>: the audit log, newest first, a page at a time; admins only.</summary>
internal static class AuditEndpoints
{
    /// <summary>The most entries one page may hold.</summary>
    public const int MaxLimit = 1000;

    public static RouteHandlerBuilder MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/audit", ReadAsync)
            .WithTags("Admin")
            .RequireAuthorization(Policies.Admin)
            .Audited(AuditActions.Read);

    private static async Task<Results<Ok<AuditPage>, BadRequest<ProblemDetails>>> ReadAsync(
        string? before,
        string? limit,
        string? feature,
        string? actor,
        string? action,
        string? from,
        string? to,
        IAuditStore store,
        CancellationToken cancellationToken
    )
    {
        if (Query(before, limit, feature, actor, action, from, to) is not { } query)
        {
            return Problems.BadRequest(
                "The audit query is not valid",
                $"before must be an entry's id (a whole number), limit a whole number from 1 to {MaxLimit}, action one of "
                    + $"{string.Join(", ", AuditActions.All)}, and from and to ISO 8601 dates or times "
                    + $"{Answers.TimeRange} with from before to, e.g. /v1/audit?action=delete&from=2026-11-01&limit=50"
            );
        }
        var entries = await store.ReadAuditAsync(query, cancellationToken).ConfigureAwait(false);
        var next = entries.Count == query.Limit ? $"/v1/audit?{Next(query with { Before = entries[^1].Id })}" : null;
        return TypedResults.Ok(new AuditPage(entries.Select(AuditEntryView.Of).ToArray(), next));
    }

    /// <summary>The query the parameters ask for; null when one of them is not valid.</summary>
    internal static AuditQuery? Query(
        string? before,
        string? limit,
        string? feature,
        string? actor,
        string? action,
        string? from,
        string? to
    )
    {
        long? beforeId = null;
        if (before is not null)
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }
            beforeId = id;
        }
        var size = 100;
        if (
            limit is not null
            && (
                !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size)
                || size is < 1 or > MaxLimit
            )
        )
        {
            return null;
        }
        if (action is not null && !AuditActions.All.Contains(action))
        {
            return null;
        }
        var start = from is null ? (DateTimeOffset?)null : Answers.Time(from);
        var end = to is null ? (DateTimeOffset?)null : Answers.Time(to);
        if ((from is not null && start is null) || (to is not null && end is null) || start >= end)
        {
            return null;
        }
        return new AuditQuery
        {
            Before = beforeId,
            Limit = size,
            Feature = Blank(feature),
            Actor = Blank(actor),
            Action = action,
            From = start,
            To = end,
        };
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    // The next page's query string: the same filters, before the last id shown.
    private static string Next(AuditQuery query)
    {
        var parts = new List<string>
        {
            $"before={query.Before!.Value.ToString(CultureInfo.InvariantCulture)}",
            $"limit={query.Limit.ToString(CultureInfo.InvariantCulture)}",
        };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("feature", query.Feature);
        Add("actor", query.Actor);
        Add("action", query.Action);
        Add("from", query.From?.ToString("O", CultureInfo.InvariantCulture));
        Add("to", query.To?.ToString("O", CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }
}

/// <summary>One page of the audit log; <see cref="Next"/> is the address of the page after it, when there may be one.</summary>
public sealed record AuditPage(AuditEntryView[] Entries, string? Next);

/// <summary>One entry of the audit log, as the API answers it.</summary>
public sealed record AuditEntryView(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Role,
    string Action,
    string Target,
    string? Feature,
    int Status,
    string? Detail
)
{
    /// <summary>The stored entry as the API answers it.</summary>
    public static AuditEntryView Of(AuditEntry e) =>
        new(e.Id, e.At, e.Actor, e.Role, e.Action, e.Target, e.Feature, e.Status, e.Detail);
}
