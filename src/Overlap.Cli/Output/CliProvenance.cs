using Overlap.Core.Provenance;

namespace Overlap.Cli.Output;

/// <summary>The provenance of a report the CLI computed from files.</summary>
internal static class CliProvenance
{
    /// <summary>Hashes the contract file (when one was given) and stamps the time; the data files come described.</summary>
    public static RunProvenance For(
        CliIo io,
        string? contractPath,
        IReadOnlyList<DataFileProvenance> data,
        ulong? seed = null,
        int? resamples = null
    ) =>
        new()
        {
            OverlapVersion = RunProvenance.CurrentVersion,
            Contract = contractPath is null ? null : Path.GetFileName(contractPath),
            ContractSha256 = contractPath is null ? null : InputFiles.Sha256(contractPath, "contract"),
            Data = data,
            Seed = seed,
            Resamples = resamples,
            CreatedAt = io.Time.GetUtcNow(),
        };
}
