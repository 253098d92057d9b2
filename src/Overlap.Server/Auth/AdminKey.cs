namespace Overlap.Server.Auth;

/// <summary>An API key as an admin sees it: never the key itself, which is shown once when it is created.</summary>
public sealed record AdminKey(
    string Id,
    string Name,
    string Role,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt
);
