namespace Overlap.Storage;

/// <summary>A stored API key: never the key itself, only its SHA-256 hash.</summary>
public sealed record ApiKeyRecord(string Id, string Hash, KeyRole Role, string Name, DateTimeOffset CreatedAt);
