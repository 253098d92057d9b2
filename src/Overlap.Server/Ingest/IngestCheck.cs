using Overlap.Core.Events;
using Overlap.Events;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Ingest;

/// <summary>
/// The checks an event meets at the door beyond its own shape: its feature has a contract, and its values are ones that
/// contract names (<see cref="EventContractCheck"/>); then the contract's privacy rules are applied
/// (<see cref="Overlap.Core.Privacy.EventPrivacy"/>), so nothing they forbid reaches the log. An outcome, feedback or business result sent without a feature
/// takes the feature of the prediction it names, looked up in the batch and the store; ids are unique per feature, so
/// an id that two features hold needs the feature said.
/// </summary>
internal sealed class IngestCheck(
    ContractRegistry features,
    IEventReader store,
    LogLoader loader,
    Overlap.Core.Privacy.PrivacyKey privacyKey
)
{
    /// <summary>The events to store, with their labels as the contracts name them, and why each other one was refused.</summary>
    public async Task<(List<FeatureEvent> Good, List<EventError> Rejected)> CheckAsync(
        EventBatch batch,
        CancellationToken cancellationToken
    )
    {
        var rejected = new List<EventError>(batch.Errors);
        var good = new List<FeatureEvent>(batch.Events.Count);
        var owners = await OwnersAsync(batch, cancellationToken).ConfigureAwait(false);
        foreach (var (index, e) in batch.Events)
        {
            try
            {
                var feature = FeatureOf(e, owners);
                var known = await features.KnowAsync(feature, cancellationToken).ConfigureAwait(false);
                var contract = (known ? features.Find(feature) : null)
                    ?? throw new EventFormatException(
                        features.Unreadable(feature) is { } unreadable
                            ? $"the contract of '{feature}' (version {unreadable.Version}) cannot be read by this server ({unreadable.Reason}); an admin must put a contract it reads: PUT /v1/features/{feature}/contract"
                            : $"unknown feature '{feature}'; put its contract first: PUT /v1/features/{feature}/contract"
                    );
                // The contract's privacy rules apply here, before the ingest log: what they drop never reaches disk.
                good.Add(
                    Overlap.Core.Privacy.EventPrivacy.Apply(
                        EventContractCheck.Check(WithFeature(e, feature), contract),
                        contract.Privacy,
                        privacyKey
                    )
                );
            }
            catch (EventFormatException refused)
            {
                rejected.Add(new EventError(index, refused.Message));
            }
        }
        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return (good, rejected);
    }

    /// <summary>The features of the predictions named by events that do not say their feature: this batch's and the store's.</summary>
    private async Task<Dictionary<string, SortedSet<string>>> OwnersAsync(
        EventBatch batch,
        CancellationToken cancellationToken
    )
    {
        var owners = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var wanted = batch
            .Events.Select(x =>
                x.Event switch
                {
                    OutcomeEvent { Feature: null } o => o.PredictionId,
                    FeedbackEvent { Feature: null } f => f.PredictionId,
                    BusinessEvent { Feature: null, PredictionId: { } id } => id,
                    _ => null,
                }
            )
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0 || features.Names.Count < 2)
        {
            return owners;
        }
        foreach (var p in batch.Events.Select(x => x.Event).OfType<PredictionEvent>().Where(p => wanted.Contains(p.Id)))
        {
            Owners(owners, p.Id).Add(p.Feature);
        }
        // A prediction acknowledged a moment ago may still be on its way from the ingest log to the store.
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        foreach (
            var (id, stored) in await store.FeaturesOfPredictionsAsync(wanted, cancellationToken).ConfigureAwait(false)
        )
        {
            Owners(owners, id).UnionWith(stored);
        }
        return owners;
    }

    private static SortedSet<string> Owners(Dictionary<string, SortedSet<string>> owners, string id) =>
        owners.TryGetValue(id, out var set) ? set : owners[id] = new SortedSet<string>(StringComparer.Ordinal);

    private string FeatureOf(FeatureEvent e, Dictionary<string, SortedSet<string>> owners)
    {
        var (feature, predictionId) = e switch
        {
            PredictionEvent p => (p.Feature, p.Id),
            OutcomeEvent o => (o.Feature, o.PredictionId),
            FeedbackEvent f => (f.Feature, f.PredictionId),
            BusinessEvent b => (b.Feature, b.PredictionId),
            _ => throw new EventFormatException($"unknown event type {e.GetType().Name}"),
        };
        if (feature is not null)
        {
            return feature;
        }
        var named = features.Names;
        if (named.Count <= 1)
        {
            return named.Count == 1
                ? named[0]
                : throw new EventFormatException(
                    "no feature has a contract yet; put one first: PUT /v1/features/{feature}/contract"
                );
        }
        if (predictionId is null)
        {
            throw new EventFormatException(
                "a business event needs 'feature' or 'prediction_id', so it can be counted for a feature"
            );
        }
        var found = owners.GetValueOrDefault(predictionId);
        return found switch
        {
            { Count: 1 } => found.Min!,
            { Count: > 1 } => throw new EventFormatException(
                $"prediction '{predictionId}' is held by features {string.Join(", ", found)} (ids are per feature); say which with 'feature'"
            ),
            _ => throw new EventFormatException(
                $"no prediction '{predictionId}' is stored yet, and several features have contracts; say which with 'feature'"
            ),
        };
    }

    private static FeatureEvent WithFeature(FeatureEvent e, string feature) =>
        e switch
        {
            OutcomeEvent o => o with { Feature = feature },
            FeedbackEvent f => f with { Feature = feature },
            BusinessEvent b => b with { Feature = feature },
            _ => e,
        };
}
