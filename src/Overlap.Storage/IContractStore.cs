namespace Overlap.Storage;

/// <summary>Each feature's contract with its history: every save is a new version, numbered from 1.</summary>
public interface IContractStore
{
    /// <summary>Stores a new version of a feature's contract and returns it (version 1 for the first).</summary>
    Task<ContractVersion> PutContractAsync(
        string feature,
        string yaml,
        string changedBy,
        DateTimeOffset changedAt,
        CancellationToken cancellationToken = default
    );

    /// <summary>The latest version of a feature's contract, or the given version; null when there is none.</summary>
    Task<ContractVersion?> GetContractAsync(
        string feature,
        int? version = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>Every version of a feature's contract, oldest first.</summary>
    Task<IReadOnlyList<ContractVersion>> ListContractVersionsAsync(
        string feature,
        CancellationToken cancellationToken = default
    );

    /// <summary>The features that have a contract, by name.</summary>
    Task<IReadOnlyList<string>> ListFeaturesAsync(CancellationToken cancellationToken = default);
}
