namespace Overlap.Storage;

/// <summary>Where a feature's check stands now (states: no_data, ok, warning, alert).</summary>
public sealed record AlertStateRecord(string Feature, string Check, string State, DateTimeOffset WindowStart, string Statement, DateTimeOffset UpdatedAt);

/// <summary>
/// A change of a check's state, kept as history; <paramref name="Delivery"/> says what became of its webhooks
/// (pending, delivered, failed, none) after <paramref name="Attempts"/> attempts, and <paramref name="DeliveryReason"/>
/// why a failed one failed.
/// </summary>
public sealed record AlertEventRecord(long Id, string Feature, string Check, string State, string Previous, DateTimeOffset WindowStart, string Statement, DateTimeOffset CreatedAt, string Delivery, int Attempts, string? DeliveryReason = null);
