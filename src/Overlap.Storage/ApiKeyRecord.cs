namespace Overlap.Storage;

/// <summary>
/// A stored API key: never the key itself, only its SHA-256 hash. A key with <see cref="ExpiresAt"/> in the past or
/// with <see cref="RevokedAt"/> set no longer authenticates; <see cref="LastUsedAt"/> is kept to about a minute.
/// </summary>
public sealed record ApiKeyRecord(
    string Id,
    string Hash,
    KeyRole Role,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? LastUsedAt = null,
    DateTimeOffset? RevokedAt = null
);
