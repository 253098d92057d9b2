using Overlap.Core.Monitoring;

namespace Overlap.Storage;

/// <summary>
/// Where a feature's check stands now; <paramref name="JudgedFrom"/> to
/// <paramref name="JudgedTo"/> is the data it judged (a requirement: the 30 days up to the window; drift: the window).
/// </summary>
public sealed record AlertStateRecord(
    string Feature,
    string Check,
    AlertState State,
    DateTimeOffset WindowStart,
    string Statement,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? JudgedFrom = null,
    DateTimeOffset? JudgedTo = null
);

/// <summary>
/// A change of a check's state, kept as history; <paramref name="Delivery"/> says what became of its webhooks
/// (pending, delivered, failed, none) after <paramref name="Attempts"/> attempts, and <paramref name="DeliveryReason"/>
/// why a failed one failed; <paramref name="JudgedFrom"/> to <paramref name="JudgedTo"/> is the data the check judged.
/// </summary>
public sealed record AlertEventRecord(
    long Id,
    string Feature,
    string Check,
    AlertState State,
    AlertState Previous,
    DateTimeOffset WindowStart,
    string Statement,
    DateTimeOffset CreatedAt,
    string Delivery,
    int Attempts,
    string? DeliveryReason = null,
    DateTimeOffset? JudgedFrom = null,
    DateTimeOffset? JudgedTo = null
);
