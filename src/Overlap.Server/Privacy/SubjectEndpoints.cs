using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Overlap.Core.Privacy;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Ingest;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Privacy;

/// <summary>
/// <c>GET /v1/subjects/{id}</c>: what the store holds about one person, and <c>DELETE /v1/subjects/{id}</c>: erase it,
/// answering with a receipt. The id is the raw value of the contract's <c>privacy.subject</c> field; it is hashed with the
/// server's key before matching, exactly as it was at ingest. Admins only.
/// </summary>
internal static class SubjectEndpoints
{
    public static RouteGroupBuilder MapSubjects(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/subjects").WithTags("Privacy").RequireAuthorization(Policies.Admin);
        // The log names the subject by its hashed id, as the store does: never by the id that was asked for.
        group.MapGet("/{id}", FindAsync).Audited(AuditActions.Read, Subject);
        group.MapDelete("/{id}", EraseAsync).Audited(AuditActions.Delete, Subject);
        return group;
    }

    private static async Task<Results<Ok<SubjectResponse>, ProblemHttpResult>> FindAsync(
        string id,
        ClaimsPrincipal user,
        PrivacyKey key,
        LogLoader loader,
        IServiceProvider services,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        if (Stores(services) is not var (events, state))
        {
            return Unsupported();
        }
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var hash = EventPrivacy.SubjectHash(id, key);
        var found = await events.FindSubjectAsync(hash, cancellationToken).ConfigureAwait(false);
        var held = await state.CountAsync(found.Predictions, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Response(hash, erased: false, options.Time.GetUtcNow(), Who(user), found, held));
    }

    private static async Task<Results<Ok<SubjectResponse>, ProblemHttpResult>> EraseAsync(
        string id,
        ClaimsPrincipal user,
        PrivacyKey key,
        EventLog log,
        LogLoader loader,
        WindowCache windows,
        RangeCache ranges,
        IServiceProvider services,
        ServerOptions options,
        HttpContext context,
        CancellationToken cancellationToken
    )
    {
        if (Stores(services) is not var (events, state))
        {
            return Unsupported();
        }
        // Every frame acknowledged so far goes into the store before the erasure, so the erasure reaches it there; the
        // segments that held it are then deleted.
        var rotated = log.Rotate();
        if (!await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false))
        {
            return Problems.Status(
                503,
                "The store is still loading acknowledged events",
                "Events acknowledged a moment ago are still on their way from the ingest log into the store, so an erasure now could miss some; nothing was erased. Retry in a minute."
            );
        }
        var hash = EventPrivacy.SubjectHash(id, key);
        var erased = await events.EraseSubjectAsync(hash, cancellationToken).ConfigureAwait(false);
        var forgot = await state.ForgetAsync(erased.Predictions, cancellationToken).ConfigureAwait(false);
        log.DeleteBefore(rotated);
        foreach (var feature in erased.Predictions.Select(p => p.Feature).Distinct(StringComparer.Ordinal))
        {
            windows.Forget(feature);
            ranges.Forget(feature);
        }
        var receipt = Response(hash, erased: true, options.Time.GetUtcNow(), Who(user), erased, forgot);
        AuditTrail.Detail(context, receipt.Statement);
        return TypedResults.Ok(receipt);
    }

    // The audit log names a subject by a reference derived from its hashed id, never by the id nor by the hash: the hash
    // is what the store keys the subject's events by, and an erasure leaves no copy of it behind. Whoever knows the id
    // finds the reference in the answer of GET /v1/subjects/{id}.
    private static string Subject(HttpContext context) =>
        $"subject {AuditReference(EventPrivacy.SubjectHash(context.GetRouteValue("id") as string ?? "", (PrivacyKey)context.RequestServices.GetService(typeof(PrivacyKey))!))}";

    /// <summary>The name the audit log gives the subject whose hashed id is <paramref name="hash"/>.</summary>
    internal static string AuditReference(string hash) =>
        Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes("overlap audit log\n" + hash)
            )
        )[..16];

    private static (ISubjectEvents, ISubjectState)? Stores(IServiceProvider services) =>
        services.GetService(typeof(ISubjectEvents)) is ISubjectEvents events
        && services.GetService(typeof(ISubjectState)) is ISubjectState state
            ? (events, state)
            : null;

    private static ProblemHttpResult Unsupported() =>
        Problems.Status(
            501,
            "This store cannot find or erase a subject",
            "The store this server runs on has no subject erasure; run it on the embedded store or on PostgreSQL and ClickHouse."
        );

    private static string Count(long n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    private static string Who(ClaimsPrincipal user) => Evaluations.EvaluationEndpoints.Who(user);

    private static SubjectResponse Response(
        string hash,
        bool erased,
        DateTimeOffset at,
        string by,
        SubjectEvents events,
        SubjectState state
    )
    {
        var n = events.Predictions.Count;
        var features = events.Predictions.Select(p => p.Feature).Distinct(StringComparer.Ordinal).Order().ToList();
        var statement =
            n == 0
                ? (
                    erased
                        ? "Nothing was held about this subject, so nothing was erased."
                        : "Nothing is held about this subject: no prediction holds its hashed id."
                )
                : $"{(erased ? "Erased" : "Held")}: {Count(n, "prediction")} of {string.Join(", ", features)}, with "
                    + $"{Count(events.Outcomes, "outcome")}, {Count(events.Feedback, "feedback event")}, "
                    + $"{Count(events.Business, "business result")} and {Count(state.ReviewItems, "review item")}."
                    + (
                        erased
                            ? $" {Count(state.WindowReports, "stored window report")} that counted them "
                                + $"{(state.WindowReports == 1 ? "is" : "are")} computed again without them."
                            : ""
                    );
        return new SubjectResponse(
            hash,
            erased,
            at,
            by,
            n,
            events.Outcomes,
            events.Feedback,
            events.Business,
            state.ReviewItems,
            state.ReviewDecisions,
            state.ModelGrades,
            state.WindowReports,
            [.. events.Predictions.Select(p => new SubjectPredictionResponse(p.Feature, p.Id, p.Time))],
            statement,
            AuditReference(hash)
        );
    }
}
