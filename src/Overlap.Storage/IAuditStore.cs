namespace Overlap.Storage;

/// <summary>
/// The audit log: who read, exported, changed or deleted what, and when. Entries are only ever appended; an admin reads
/// them newest first, a page at a time.
/// </summary>
public interface IAuditStore
{
    /// <summary>Appends one entry and returns it with its id (ids grow with every entry) and its time as stored.</summary>
    Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// The entries <paramref name="query"/> selects, newest first (by id), at most <see cref="AuditQuery.Limit"/> of them.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default);
}

/// <summary>What the audit log records of one action.</summary>
/// <param name="At">When the action was done.</param>
/// <param name="Actor">Who did it: a user's name, a key's name, or what the server itself ran (the retention job).</param>
/// <param name="Role">The role the actor acted in (admin, reviewer, viewer, ingest, or system).</param>
/// <param name="Action">One of <see cref="AuditActions.All"/>.</param>
/// <param name="Target">What it was done to, in words or as the request's method and path.</param>
/// <param name="Feature">The feature it concerns, when one.</param>
/// <param name="Status">The HTTP status it ended with (200 for work the server did on its own).</param>
/// <param name="Detail">More on it, when there is more: a form's name, the counts an erasure removed.</param>
public sealed record NewAuditEntry(
    DateTimeOffset At,
    string Actor,
    string Role,
    string Action,
    string Target,
    string? Feature,
    int Status,
    string? Detail
);

/// <summary>One stored entry of the audit log: <see cref="NewAuditEntry"/> with its id.</summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Role,
    string Action,
    string Target,
    string? Feature,
    int Status,
    string? Detail
);

/// <summary>Which entries to read: all filters optional, combined with AND; <see cref="Before"/> pages back.</summary>
public sealed record AuditQuery
{
    /// <summary>Only entries whose id is below this one (the last id of the page before).</summary>
    public long? Before { get; init; }

    /// <summary>At most this many entries.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Only entries about this feature.</summary>
    public string? Feature { get; init; }

    /// <summary>Only entries by this actor (exact, ignoring case).</summary>
    public string? Actor { get; init; }

    /// <summary>Only entries of this action.</summary>
    public string? Action { get; init; }

    /// <summary>Only entries at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only entries before this time.</summary>
    public DateTimeOffset? To { get; init; }
}

/// <summary>The kinds of action the audit log records.</summary>
public static class AuditActions
{
    /// <summary>Looked at personal or secret data: review cases with their inputs, a subject, keys, users, the audit log.</summary>
    public const string Read = "read";

    /// <summary>Took data out of the server: an export of events or of review cases.</summary>
    public const string Export = "export";

    /// <summary>Changed something: a contract, a key, a user, a review decision, an evaluation run, a calibration.</summary>
    public const string Change = "change";

    /// <summary>Deleted or revoked something: a subject's events, a key, a user, raw data past its retention.</summary>
    public const string Delete = "delete";

    /// <summary>Every action, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Export, Change, Delete];
}
