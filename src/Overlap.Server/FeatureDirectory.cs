using System.Collections.Concurrent;
using Overlap.Core.Contracts;
using Overlap.Storage;

namespace Overlap.Server;

/// <summary>The features that have a contract, with the latest contract parsed: ingest checks a feature against it on every event.</summary>
internal sealed class FeatureDirectory
{
    private readonly ConcurrentDictionary<string, Contract> _contracts = new(StringComparer.Ordinal);

    /// <summary>Reads every feature's latest contract from the store (once, at start).</summary>
    public async Task LoadAsync(IContractStore store, CancellationToken cancellationToken)
    {
        foreach (var feature in await store.ListFeaturesAsync(cancellationToken).ConfigureAwait(false))
        {
            var latest = await store.GetContractAsync(feature, cancellationToken: cancellationToken).ConfigureAwait(false);
            Set(feature, ContractParser.Parse(latest!.Yaml, $"{feature} contract, version {latest.Version}"));
        }
    }

    public bool Has(string feature) => _contracts.ContainsKey(feature);

    /// <summary>The features with a contract, by name.</summary>
    public IReadOnlyList<string> Names => [.. _contracts.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The features whose contract sends cases to people, by name.</summary>
    public IReadOnlyList<string> WithReview() => [.. _contracts.Where(c => c.Value.Review is not null).Select(c => c.Key).Order(StringComparer.Ordinal)];

    public Contract? Find(string feature) => _contracts.GetValueOrDefault(feature);

    public void Set(string feature, Contract contract) => _contracts[feature] = contract;
}
