using Overlap.Events;

namespace Overlap.Server.Api;

/// <summary>The answer to an ingest batch: how many events are now stored (an id already stored counts, as a no-op) and which were refused.</summary>
public sealed record IngestResponse(int Accepted, IReadOnlyList<EventError> Rejected);

/// <summary>One version of a contract.</summary>
public sealed record ContractResponse(
    string Feature,
    int Version,
    string ChangedBy,
    DateTimeOffset ChangedAt,
    string Yaml
);

/// <summary>A version in a contract's history, without its text.</summary>
public sealed record ContractVersionSummary(int Version, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>The health probe: <c>ok</c>, or <c>unhealthy</c> with the reason.</summary>
/// <param name="Status"><c>ok</c> or <c>unhealthy</c>.</param>
/// <param name="Reason">Why it is unhealthy, and what to do; null when ok.</param>
/// <param name="WaitingBytes">
/// Bytes of acknowledged events in this server's ingest log not yet in the store: 0 once everything it acknowledged can
/// be read (what a client that just sent a backfill waits for), more while the loader is behind.
/// </param>
public sealed record HealthResponse(string Status, string? Reason = null, long WaitingBytes = 0);

/// <summary>How many events a feature has.</summary>
public sealed record CountsResponse(
    string Feature,
    long Predictions,
    long Outcomes,
    long Feedback,
    long Business,
    long Labelled
);
