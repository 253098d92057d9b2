using Overlap.Storage;

namespace Overlap.Server.Review;

/// <summary>The review queue of a feature: routes what arrived since the last look by the latest contract, then reads.</summary>
internal sealed class ReviewQueue(IReviewStore store, FeatureDirectory features, ServerOptions options)
{
    /// <summary>Routes the feature's new predictions by its contract's <c>review</c> policy; false when the feature has none.</summary>
    public async Task<bool> RouteAsync(string feature, CancellationToken cancellationToken)
    {
        if (features.Find(feature)?.Review is not { } policy)
        {
            return false;
        }
        await store.RouteForReviewAsync(feature, policy.ScoreLow, policy.ScoreHigh, policy.Sample, options.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return true;
    }
}

/// <summary><c>GET /v1/features/{feature}/review</c>: the queue in figures and its oldest items.</summary>
public sealed record ReviewQueueResponse(string Feature, bool Routed, ReviewQueueCounts Counts, IReadOnlyList<ReviewItem> Items);
