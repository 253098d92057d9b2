namespace Overlap.Server.Auth;

/// <summary>
/// A key to create: its role (ingest, viewer, reviewer, admin), who it is for, and optionally when it expires
/// (<c>90d</c>, or a date such as <c>2027-01-31</c>).
/// </summary>
public sealed record AdminKeyRequest(string? Role, string? Name, string? Expires);
