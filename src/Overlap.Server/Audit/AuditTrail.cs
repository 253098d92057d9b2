using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Overlap.Storage;

namespace Overlap.Server.Audit;

/// <summary>
/// Writes the audit log: who read, exported, changed or deleted what, and when. The API's requests are recorded by
/// <see cref="AuditMiddleware"/>; the dashboard's forms and the review page, and the server's own deletions (retention),
/// record here directly. A failure to record is logged, never thrown into the work it records.
/// </summary>
internal sealed partial class AuditTrail(IAuditStore store, ServerOptions options, ILogger<AuditTrail> logger)
{
    /// <summary>The actor and role the server's own work is recorded under.</summary>
    public const string SystemActor = "overlap";

    /// <summary>The role of work the server does on its own.</summary>
    public const string SystemRole = "system";

    /// <summary>The key of <see cref="HttpContext.Items"/> where an endpoint leaves more to say about what it did.</summary>
    private const string DetailItem = "overlap.audit.detail";

    /// <summary>Who <paramref name="user"/> is, as the audit log names them: a user by name, a key as "key NAME".</summary>
    public static (string Actor, string Role) Who(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        var isUser = user.FindFirstValue(ClaimTypes.NameIdentifier)?.StartsWith("user:", StringComparison.Ordinal)
            ?? false;
        var role = user.FindFirstValue(ClaimTypes.Role)?.ToLowerInvariant() ?? "none";
        return (isUser ? name : $"key {name}", role);
    }

    /// <summary>Leaves <paramref name="detail"/> for the entry the middleware writes of this request.</summary>
    public static void Detail(HttpContext context, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[DetailItem] = detail;
    }

    /// <summary>What an endpoint left with <see cref="Detail"/>, if anything.</summary>
    public static string? DetailOf(HttpContext context) =>
        context.Items.TryGetValue(DetailItem, out var d) ? d as string : null;

    /// <summary>Records what <paramref name="user"/> did.</summary>
    public Task RecordAsync(
        ClaimsPrincipal user,
        string action,
        string target,
        string? feature,
        int status = StatusCodes.Status200OK,
        string? detail = null,
        CancellationToken cancellationToken = default
    )
    {
        var (actor, role) = Who(user);
        return RecordAsync(actor, role, action, target, feature, status, detail, cancellationToken);
    }

    /// <summary>Records what the server did on its own (as <see cref="SystemActor"/>).</summary>
    public Task RecordSystemAsync(
        string action,
        string target,
        string? feature,
        string? detail,
        CancellationToken cancellationToken = default
    ) =>
        RecordAsync(
            SystemActor,
            SystemRole,
            action,
            target,
            feature,
            StatusCodes.Status200OK,
            detail,
            cancellationToken
        );

    private async Task RecordAsync(
        string actor,
        string role,
        string action,
        string target,
        string? feature,
        int status,
        string? detail,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await store
                .AppendAuditAsync(
                    new NewAuditEntry(
                        options.Time.GetUtcNow(),
                        Cut(actor, 200),
                        role,
                        action,
                        Cut(target, 1000),
                        feature is null ? null : Cut(feature, 200),
                        status,
                        detail is null ? null : Cut(detail, 2000)
                    ),
                    // The work is done: its record is written even if the caller has gone.
                    CancellationToken.None
                )
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, action, target, actor, e.Message);
        }
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Could not write the audit log's entry for {Action} {Target} by {Actor}: {Reason}"
    )]
    private static partial void LogFailed(ILogger logger, string action, string target, string actor, string reason);
}
