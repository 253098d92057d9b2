using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>Computes a feature's production windows from the store: what the metrics endpoint shows and the alerts judge.</summary>
internal sealed class FeatureMonitor(IEventStore store, LogLoader loader)
{
    /// <summary>The latest contract, parsed, with its version; null when the feature has none.</summary>
    public async Task<(Contract Contract, int Version)?> ContractAsync(string feature, CancellationToken cancellationToken)
    {
        var version = await store.GetContractAsync(feature, cancellationToken: cancellationToken).ConfigureAwait(false);
        return version is null ? null : (ContractParser.Parse(version.Yaml, $"{feature} contract, version {version.Version}"), version.Version);
    }

    /// <summary>The report over <paramref name="windows"/> (consecutive, oldest first), judged against <paramref name="contract"/>.</summary>
    public async Task<MonitoringReport> ReportAsync(Contract contract, int version, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows, EvaluationOptions evaluation, CancellationToken cancellationToken)
    {
        // Every event acknowledged so far is part of the answer.
        await loader.WaitLoadedAsync(cancellationToken).ConfigureAwait(false);
        var attributes = ProductionWindows.Attributes(contract);
        var rows = await store.ReadPredictionsAsync(contract.Feature, windows[0].Start, windows[^1].End, attributes, cancellationToken).ConfigureAwait(false);
        var referenceRows = contract.Monitoring?.Reference is { From: { } from, To: { } to }
            ? await store.ReadPredictionsAsync(contract.Feature, from, to, attributes, cancellationToken).ConfigureAwait(false)
            : null;
        // A reference file (reference: { data: … }) is for overlap drift; the server compares with a stored period.
        var reference = referenceRows is null ? null : ProductionWindows.Inputs(contract, referenceRows, $"{contract.Feature} reference period");
        var calibration = referenceRows is null ? ScoreCalibration.Identity : ProductionWindows.Calibration(contract, referenceRows);
        List<WindowReport> summaries = [.. ProductionWindows.Cut(contract, rows, windows).Select(w => WindowMonitor.Summarize(contract, w, evaluation, reference, calibration))];
        return new MonitoringReport
        {
            Feature = contract.Feature,
            ContractVersion = version,
            Window = WindowMonitor.Describe(WindowLength(contract)),
            Windows = summaries,
            Retrain = RetrainAdvisor.Advise(contract.Monitoring?.RetrainWhen, summaries),
        };
    }

    /// <summary>The contract's window, a day when it sets none.</summary>
    public static TimeSpan WindowLength(Contract contract) => contract.Monitoring?.Window ?? TimeSpan.FromDays(1);
}
