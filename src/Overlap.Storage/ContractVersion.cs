namespace Overlap.Storage;

/// <summary>One version of a feature's contract, with who changed it and when.</summary>
public sealed record ContractVersion(
    string Feature,
    int Version,
    string Yaml,
    string ChangedBy,
    DateTimeOffset ChangedAt
);
