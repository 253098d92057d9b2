using Overlap.Server.Ingest;

namespace Overlap.Server.Experiments;

/// <summary>
/// The experiments pages' data, computed once per scope: once for the page's request, and once for the circuit whose
/// chart draws from it (as <see cref="Monitoring.FeaturePage"/> does for a feature). Each load first catches up with the
/// events already acknowledged, as the API does.
/// </summary>
internal sealed class ExperimentViews(ExperimentReader reader, LogLoader loader)
{
    private readonly Dictionary<string, Task<(ExperimentView? View, string? Problem)>> _views = new(
        StringComparer.Ordinal
    );

    /// <summary>Every experiment of every contract with its decision now.</summary>
    public async Task<IReadOnlyList<ExperimentSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ExperimentSummary>();
        foreach (var found in reader.All())
        {
            list.Add(
                ExperimentSummary.Of(
                    found,
                    await reader.AnalyzeAsync(found, estimate: false, cancellationToken).ConfigureAwait(false)
                )
            );
        }
        return list;
    }

    /// <summary>The experiment named <paramref name="name"/> day by day, or why there is none to show.</summary>
    public Task<(ExperimentView? View, string? Problem)> LoadAsync(string name)
    {
        lock (_views)
        {
            if (!_views.TryGetValue(name, out var view))
            {
                _views[name] = view = ComputeAsync(name);
            }
            return view;
        }
    }

    private async Task<(ExperimentView?, string?)> ComputeAsync(string name)
    {
        var found = reader.Find(name);
        if (found.Count != 1)
        {
            return (
                null,
                found.Count == 0
                    ? $"No contract declares an experiment named '{name}': add it under 'experiments:' in the feature's contract."
                    : $"The contracts of {string.Join(" and ", found.Select(f => f.Contract.Feature))} each declare an experiment named '{name}': rename one so each name is unique."
            );
        }
        await loader.CatchUpAsync(CancellationToken.None).ConfigureAwait(false);
        var history = await reader.HistoryAsync(found[0], estimate: true, CancellationToken.None).ConfigureAwait(false);
        return (new ExperimentView(found[0], history), null);
    }
}
