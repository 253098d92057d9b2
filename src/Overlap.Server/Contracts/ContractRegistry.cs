using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
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
/// A stored version this server cannot read (written by a newer server, or past the save path) never stops it: the
/// feature keeps the newest version it can read, or, with none, is left out (its events are refused saying why) until
/// an admin puts a contract again; <see cref="Unreadable"/> says which, for the pages and the log.
/// </summary>
internal sealed partial class ContractRegistry(
    IContractStore store,
    ServerOptions options,
    ILogger<ContractRegistry> logger
)
{
    private readonly ConcurrentDictionary<string, CurrentContract> _contracts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UnreadableContract> _unreadable = new(StringComparer.Ordinal);

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

    /// <summary>
    /// The feature's latest stored version when this server cannot read it, with why; null when it reads the latest.
    /// </summary>
    public UnreadableContract? Unreadable(string feature) => _unreadable.GetValueOrDefault(feature);

    /// <summary>Every version of the feature's contract, oldest first (none when it has no contract).</summary>
    public Task<IReadOnlyList<ContractVersion>> VersionsAsync(string feature, CancellationToken cancellationToken) =>
        store.ListContractVersionsAsync(feature, cancellationToken);

    /// <summary>Makes <paramref name="saved"/> (parsed as <paramref name="contract"/>) current, unless a later version already is.</summary>
    public void Saved(ContractVersion saved, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var current = new CurrentContract(contract, saved.Version, saved.Yaml);
        _contracts.AddOrUpdate(saved.Feature, current, (_, known) => known.Version > current.Version ? known : current);
        if (_unreadable.TryGetValue(saved.Feature, out var unreadable) && unreadable.Version <= saved.Version)
        {
            _unreadable.TryRemove(saved.Feature, out _);
        }
    }

    /// <summary>
    /// Reads the feature's latest version from the store again (a contract written there past the save path, or through
    /// another instance); it is parsed only when its version is not the one known here.
    /// </summary>
    public async Task ReloadAsync(string feature, CancellationToken cancellationToken)
    {
        if (
            await store.GetContractAsync(feature, cancellationToken: cancellationToken).ConfigureAwait(false)
                is not { } latest
            || Current(feature)?.Version == latest.Version
            || Unreadable(feature)?.Version == latest.Version
        )
        {
            return;
        }
        if (Read(latest, out var why) is { } contract)
        {
            Saved(latest, contract);
            return;
        }
        _unreadable[feature] = new UnreadableContract(latest.Version, why!);
        if (Current(feature) is { } kept)
        {
            LogKept(logger, feature, latest.Version, why!, kept.Version);
            return;
        }
        // Nothing of the feature is current here (the server is starting): the newest older version it can read.
        var versions = await store.ListContractVersionsAsync(feature, cancellationToken).ConfigureAwait(false);
        foreach (var older in versions.Where(v => v.Version < latest.Version).OrderByDescending(v => v.Version))
        {
            if (Read(older, out _) is { } readable)
            {
                Saved(older, readable);
                LogKept(logger, feature, latest.Version, why!, older.Version);
                return;
            }
        }
        LogLeftOut(logger, feature, latest.Version, why!);
    }

    private static Contract? Read(ContractVersion version, out string? why)
    {
        try
        {
            why = null;
            return ContractParser.Parse(version.Yaml, $"{version.Feature} contract, version {version.Version}");
        }
        catch (ContractException e)
        {
            why = e.Message;
            return null;
        }
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "The contract of {Feature}, version {Version}, cannot be read by this server ({Reason}); it keeps version {Kept}. Put a contract this server reads to replace it."
    )]
    private static partial void LogKept(ILogger logger, string feature, int version, string reason, int kept);

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "The contract of {Feature}, version {Version}, cannot be read by this server ({Reason}), and no older version can; its events are refused until an admin puts a contract this server reads."
    )]
    private static partial void LogLeftOut(ILogger logger, string feature, int version, string reason);
}

/// <summary>A stored contract version this server cannot read, and the parser's reason.</summary>
internal sealed record UnreadableContract(int Version, string Reason);

/// <summary>A feature's current contract: parsed, its version number, and the text it was parsed from.</summary>
internal sealed record CurrentContract(Contract Contract, int Version, string Yaml);
