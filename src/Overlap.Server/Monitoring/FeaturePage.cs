using Overlap.Server.Contracts;

namespace Overlap.Server.Monitoring;

/// <summary>
/// The feature page's data, computed once per scope: once for the page's request, and once for the circuit whose
/// charts all draw from it. The charts are interactive, and what they draw stays on the server: their parameters,
/// which travel through the browser, are only the feature's name and which chart.
/// </summary>
internal sealed class FeaturePage(
    FeatureMonitor monitor,
    ContractRegistry features,
    ServerOptions options,
    Overlap.Storage.IReviewStore reviews
)
{
    private readonly Dictionary<string, Task<FeatureView?>> _views = new(StringComparer.Ordinal);

    /// <summary>The feature's last 30 days; null when it has no contract.</summary>
    public Task<FeatureView?> LoadAsync(string feature)
    {
        lock (_views)
        {
            if (!_views.TryGetValue(feature, out var view))
            {
                _views[feature] = view = ComputeAsync(feature);
            }
            return view;
        }
    }

    private async Task<FeatureView?> ComputeAsync(string feature)
    {
        if (features.Current(feature) is not var (contract, version, _))
        {
            return null;
        }
        var windows = FeatureHealth.Last30Days(contract, options.Time.GetUtcNow());
        var report = await monitor
            .ReportAsync(contract, version, windows, FeatureHealth.Evaluation, CancellationToken.None, stale: true)
            .ConfigureAwait(false);
        var range = await monitor
            .RangeAsync(contract, version, windows, FeatureHealth.Evaluation, CancellationToken.None, stale: true)
            .ConfigureAwait(false);
        var reviewed = report.Windows.Any(w => w.Workflow is not null)
            ? await WorkflowReviewedAsync(feature).ConfigureAwait(false)
            : [];
        return new FeatureView(contract, report, range, reviewed);
    }

    /// <summary>The most decided review items the workflow section reads.</summary>
    private const int MaxReviewed = 10_000;

    /// <summary>
    /// The decided review items the contract's workflow sent to people (reason escalate or abstain; the latest
    /// <see cref="MaxReviewed"/> decided items are looked at), each with what the reviewer made of it: the label
    /// recorded, else the decision.
    /// </summary>
    private async Task<IReadOnlyList<(string Route, string Outcome)>> WorkflowReviewedAsync(string feature)
    {
        var decided = await reviews
            .ListReviewItemsAsync(feature, Overlap.Storage.ReviewStatus.Decided, MaxReviewed)
            .ConfigureAwait(false);
        var sent = decided
            .Where(i => Overlap.Storage.ReviewReasons.Workflow.Contains(i.Reason))
            .ToDictionary(i => i.PredictionId, i => i.Reason, StringComparer.Ordinal);
        if (sent.Count == 0)
        {
            return [];
        }
        var settled = await reviews.SettledReviewsAsync(feature).ConfigureAwait(false);
        return
        [
            .. settled
                .Where(s => sent.ContainsKey(s.PredictionId))
                .Select(s => (sent[s.PredictionId], s.Label is { } label ? $"labelled {label}" : s.Decision)),
        ];
    }
}
