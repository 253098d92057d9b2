using System.Collections.Concurrent;
using Overlap.Core.Contracts;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server.Contracts;

/// <summary>
/// Each feature's current contract, parsed, with its version: the one place the server asks for it (ingest checks every
/// event against it, monitoring, alerts, review, export and the pages judge by it). Loaded from the store when the server
/// starts and replaced by the one save path (<see cref="ContractSaver"/>), so it is never parsed again per request. On a
/// shared store (<see cref="ServerOptions.SharedStore"/>) another instance may put a contract: a feature not known here is
/// read from the store when a request names it (<see cref="KnowAsync"/>), and <see cref="ContractRefresher"/> reads every
/// feature's latest version again every <see cref="ServerOptions.SharedStateFreshFor"/>.
/// </summary>
internal sealed class ContractRegistry(IContractStore store, ServerOptions options)
{
    private readonly ConcurrentDictionary<string, CurrentContract> _contracts = new(StringComparer.Ordinal);

    /// <summary>Reads the latest version of every feature's contract from the store (once, when the server starts).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var feature in await store.ListFeaturesAsync(cancellationToken).ConfigureAwait(false))
        {
            await ReloadAsync(feature, cancellationToken).ConfigureAwait(false);
        }
    }

    public bool Has(string feature) => _contracts.ContainsKey(feature);

    /// <summary>
    /// Whether the feature has a contract; on a shared store a feature not known here is read from the store first (it
    /// may have been put through another instance a moment ago).
    /// </summary>
    public async ValueTask<bool> KnowAsync(string feature, CancellationToken cancellationToken)
    {
        if (Has(feature) || !options.SharedStore)
        {
            return Has(feature);
        }
        await ReloadAsync(feature, cancellationToken).ConfigureAwait(false);
        return Has(feature);
    }

    /// <summary>The features with a contract, by name.</summary>
    public IReadOnlyList<string> Names => [.. _contracts.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The features whose queues are routed, by name: every feature with a contract, since the calls its workflow guard
    /// escalates or abstains on reach people whether or not the contract has a review section
    /// (<see cref="ReviewRouting.Guarded"/>).
    /// </summary>
    public IReadOnlyList<string> WithReview() => Names;

    /// <summary>The feature's current contract; null when it has none.</summary>
    public Contract? Find(string feature) => Current(feature)?.Contract;

    /// <summary>The feature's current contract with its version and text; null when it has none.</summary>
    public CurrentContract? Current(string feature) => _contracts.GetValueOrDefault(feature);

    /// <summary>Every version of the feature's contract, oldest first (none when it has no contract).</summary>
    public Task<IReadOnlyList<ContractVersion>> VersionsAsync(string feature, CancellationToken cancellationToken) =>
        store.ListContractVersionsAsync(feature, cancellationToken);

    /// <summary>Makes <paramref name="saved"/> (parsed as <paramref name="contract"/>) current, unless a later version already is.</summary>
    public void Saved(ContractVersion saved, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var current = new CurrentContract(contract, saved.Version, saved.Yaml);
        _contracts.AddOrUpdate(saved.Feature, current, (_, known) => known.Version > current.Version ? known : current);
    }

    /// <summary>
    /// Reads the feature's latest version from the store again (a contract written there past the save path, or through
    /// another instance); it is parsed only when its version is not the one known here.
    /// </summary>
    public async Task ReloadAsync(string feature, CancellationToken cancellationToken)
    {
        if (
            await store.GetContractAsync(feature, cancellationToken: cancellationToken).ConfigureAwait(false)
                is { } latest
            && Current(feature)?.Version != latest.Version
        )
        {
            Saved(latest, ContractParser.Parse(latest.Yaml, $"{feature} contract, version {latest.Version}"));
        }
    }
}

/// <summary>A feature's current contract: parsed, its version number, and the text it was parsed from.</summary>
internal sealed record CurrentContract(Contract Contract, int Version, string Yaml);
