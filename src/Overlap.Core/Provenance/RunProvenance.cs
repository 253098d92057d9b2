using System.Reflection;

namespace Overlap.Core.Provenance;

/// <summary>
/// What produced a report, so it can be audited and repeated: the Overlap build, the contract (version and hash),
/// each data file (name, SHA-256, rows), the seed and resamples, and when it ran.
/// </summary>
public sealed record RunProvenance
{
    /// <summary>The Overlap build that wrote the report (the assemblies' informational version).</summary>
    public required string OverlapVersion { get; init; }

    /// <summary>The contract as the user named it (a file name), or the feature's stored contract.</summary>
    public string? Contract { get; init; }

    /// <summary>The stored contract's version on a server; null for a contract file, which has none (see <see cref="ContractSha256"/>).</summary>
    public int? ContractVersion { get; init; }

    /// <summary>SHA-256 of the contract's text, lowercase hex.</summary>
    public string? ContractSha256 { get; init; }

    /// <summary>Every data file the report was computed from.</summary>
    public required IReadOnlyList<DataFileProvenance> Data { get; init; }

    /// <summary>The bootstrap seed (evaluations).</summary>
    public ulong? Seed { get; init; }

    /// <summary>The bootstrap resamples (evaluations).</summary>
    public int? Resamples { get; init; }

    /// <summary>When the report was computed (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>This build's version, as reports record it.</summary>
    public static string CurrentVersion { get; } =
        typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunProvenance).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
