using Overlap.Core.Contracts;
using Overlap.Core.Experiments;
using Overlap.Core.Metrics;
using Overlap.Events;
using Overlap.Events.Experiments;
using Overlap.Server.Contracts;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Experiments;

/// <summary>An experiment found in a feature's contract.</summary>
/// <param name="Contract">The feature's current contract.</param>
/// <param name="Spec">The experiment as the contract declares it.</param>
internal sealed record FoundExperiment(Contract Contract, ExperimentSpec Spec)
{
    /// <summary>How units are assigned to its arms, as the SDK receives it.</summary>
    public ExperimentRule Rule =>
        new(Spec.Name, Contract.Feature, Spec.Salt, Spec.Split, Spec.Control, Spec.Treatment, Spec.Unit, Spec.Shadow);
}

/// <summary>
/// Finds experiments in the contracts and gathers each arm's figures from the stored predictions: the predictions since
/// the experiment first appeared in the contract, by model version; units (predictions, or the values of the unit
/// attribute) counted per arm; labels only for predictions whose labels had time to arrive (older than the contract's
/// <c>label_delay</c>); business events summed per unit.
/// </summary>
internal sealed partial class ExperimentReader(ContractRegistry contracts, IEventReader events, ServerOptions options)
{
    /// <summary>The experiment named <paramref name="name"/>, the features that have one (more than one: ambiguous).</summary>
    public IReadOnlyList<FoundExperiment> Find(string name) =>
        [
            .. contracts
                .Names.Select(contracts.Find)
                .Where(c => c is not null)
                .SelectMany(c => c!.Experiments.Where(e => e.Name == name).Select(e => new FoundExperiment(c!, e))),
        ];

    /// <summary>Every experiment of every contract.</summary>
    public IReadOnlyList<FoundExperiment> All() =>
        [
            .. contracts
                .Names.Select(contracts.Find)
                .Where(c => c is not null)
                .SelectMany(c => c!.Experiments.Select(e => new FoundExperiment(c!, e))),
        ];

    /// <summary>
    /// The experiment judged now; with <paramref name="estimate"/>, each arm's predictions awaiting labels estimated too
    /// (<see cref="ExperimentReport.Estimated"/>), which only what shows them pays for.
    /// </summary>
    public async Task<ExperimentReport> AnalyzeAsync(
        FoundExperiment found,
        bool estimate,
        CancellationToken cancellationToken
    )
    {
        var (contract, spec) = (found.Contract, found.Spec);
        var (start, now) = await SpanAsync(contract, spec, cancellationToken).ConfigureAwait(false);
        var attributes = ProductionWindows.Attributes(contract).ToList();
        if (spec.Unit != ExperimentSpec.PredictionUnit && !attributes.Contains(spec.Unit))
        {
            attributes.Add(spec.Unit);
        }
        var rows = await events
            .ReadPredictionsAsync(
                contract.Feature,
                start,
                now.AddTicks(1),
                attributes,
                cancellationToken: cancellationToken
            )
            .ConfigureAwait(false);
        var business = spec
            .Primary.Concat(spec.Guardrails)
            .Select(m => m.Business)
            .Where(b => b is not null)
            .Select(b => b!)
            .ToHashSet(StringComparer.Ordinal);
        var values =
            business.Count == 0
                ? []
                : await BusinessValuesAsync(contract.Feature, business, start, now, cancellationToken)
                    .ConfigureAwait(false);
        var labelledBefore = now - (contract.Monitoring?.LabelDelay ?? TimeSpan.Zero);
        if (spec.Shadow)
        {
            return ShadowPairing.Analyze(contract, spec, rows, labelledBefore, now - start, estimate);
        }
        var control = Arm(contract, spec, rows, spec.Control, labelledBefore, business, values);
        var treatment = Arm(contract, spec, rows, spec.Treatment, labelledBefore, business, values);
        var report = ExperimentAnalysis.Analyze(contract, spec, control, treatment, now - start);
        return report with
        {
            Segments = Segments(contract, spec, rows, labelledBefore, business, values, now - start),
            Estimated = estimate ? Estimates(contract, spec, rows, labelledBefore) : [],
        };
    }

    /// <summary>
    /// What an experiment is judged over: from when it first appeared in the contract to now, or to when it ended (an end
    /// written before that appearance ends it as it starts, with nothing to judge).
    /// </summary>
    private async Task<(DateTimeOffset Start, DateTimeOffset AsOf)> SpanAsync(
        Contract contract,
        ExperimentSpec spec,
        CancellationToken cancellationToken
    )
    {
        var now = options.Time.GetUtcNow();
        var asOf = spec.Ended is { } ended && ended < now ? ended : now;
        var start = await StartAsync(contract.Feature, spec.Name, cancellationToken).ConfigureAwait(false) ?? asOf;
        return (start > asOf ? asOf : start, asOf);
    }

    /// <summary>
    /// Per arm of a binary A/B experiment (control, then treatment), what its scored predictions not counted as labelled
    /// are estimated to show, from its scores calibrated on its own labelled predictions.
    /// </summary>
    private static IReadOnlyList<ArmEstimate> Estimates(
        Contract contract,
        ExperimentSpec spec,
        ProductionRows rows,
        DateTimeOffset labelledBefore
    )
    {
        if (contract.Task != TaskKind.Binary)
        {
            return [];
        }
        var cutoff = Cutoff(labelledBefore);
        IEnumerable<(int Label, int Scored)> Own(string version) =>
            Enumerable.Range(0, rows.Count).Where(i => rows.ModelVersions[i] == version).Select(i => (i, i));
        return
        [
            Estimate(contract, spec, rows, spec.Control, Own(spec.Control), cutoff),
            Estimate(contract, spec, rows, spec.Treatment, Own(spec.Treatment), cutoff),
        ];
    }

    /// <summary>
    /// One arm's estimate: of <paramref name="predictions"/> (the row whose label counts, the row whose score is
    /// estimated: the same row in an A/B arm, the served and the shadow row in a shadow experiment), those with a score
    /// whose label counts calibrate, the others await labels. The calibration needs as many labelled predictions as an
    /// admin's recalibration does (<see cref="FeatureMonitor.MinRecalibrationRows"/>).
    /// </summary>
    internal static ArmEstimate Estimate(
        Contract contract,
        ExperimentSpec spec,
        ProductionRows rows,
        string version,
        IEnumerable<(int Label, int Scored)> predictions,
        long cutoff
    )
    {
        var (labelledScores, labels, awaiting) = (new List<double>(), new List<byte>(), new List<double>());
        foreach (var (label, scored) in predictions)
        {
            var score = rows.Scores[scored];
            if (!double.IsFinite(score))
            {
                continue;
            }
            if (Counted(contract, rows, label, cutoff))
            {
                labelledScores.Add(score);
                labels.Add(rows.Labels[label] == contract.Labels.Positive ? (byte)1 : (byte)0);
            }
            else
            {
                awaiting.Add(score);
            }
        }
        var scores = new ArmScores
        {
            Version = version,
            LabelledScores = labelledScores,
            Labels = labels,
            AwaitingScores = awaiting,
        };
        return ArmEstimator.Estimate(contract, spec, scores, FeatureMonitor.MinRecalibrationRows);
    }

    /// <summary>Labels count for predictions before this time, in the rows' microseconds.</summary>
    internal static long Cutoff(DateTimeOffset labelledBefore) => labelledBefore.ToUnixTimeMilliseconds() * 1000;

    /// <summary>Whether prediction <paramref name="i"/> counts as labelled: a binary feature's, labelled, and old enough for its label to have arrived.</summary>
    internal static bool Counted(Contract contract, ProductionRows rows, int i, long cutoff) =>
        contract.Task == TaskKind.Binary && rows.Labels[i] is not null && rows.TimesUs[i] < cutoff;

    /// <summary>The most values of one segment analysed on their own (the most frequent first).</summary>
    public const int MaxSegmentValues = 20;

    /// <summary>The figures within each value of each of the contract's segments.</summary>
    private static List<ExperimentSegment> Segments(
        Contract contract,
        ExperimentSpec spec,
        ProductionRows rows,
        DateTimeOffset labelledBefore,
        HashSet<string> business,
        Dictionary<(string Name, string Prediction), double> values,
        TimeSpan elapsed
    )
    {
        var segments = new List<ExperimentSegment>();
        foreach (var attribute in contract.Columns.Segments)
        {
            if (rows.Attributes.GetValueOrDefault(attribute) is not { } column)
            {
                continue;
            }
            var frequent = column
                .Where(v => v is not null)
                .GroupBy(v => v!, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(MaxSegmentValues)
                .Select(g => g.Key);
            foreach (var value in frequent)
            {
                var within = ProductionWindows.Where(rows, i => column[i] == value);
                var control = Arm(contract, spec, within, spec.Control, labelledBefore, business, values);
                var treatment = Arm(contract, spec, within, spec.Treatment, labelledBefore, business, values);
                var report = ExperimentAnalysis.Analyze(contract, spec, control, treatment, elapsed);
                segments.Add(
                    new ExperimentSegment(
                        attribute,
                        value,
                        control.Units,
                        treatment.Units,
                        report.Primary,
                        report.Guardrails
                    )
                );
            }
        }
        return segments;
    }

    /// <summary>When the experiment first appeared in the feature's contract: the time of that version.</summary>
    private async Task<DateTimeOffset?> StartAsync(string feature, string name, CancellationToken cancellationToken)
    {
        var versions = await contracts.VersionsAsync(feature, cancellationToken).ConfigureAwait(false);
        foreach (var version in versions.OrderBy(v => v.Version))
        {
            try
            {
                if (ContractParser.Parse(version.Yaml).Experiments.Any(e => e.Name == name))
                {
                    return version.ChangedAt;
                }
            }
            catch (ContractException)
            {
                // An old version an older parser accepted and this one refuses cannot have held the experiment.
            }
        }
        return null;
    }

    /// <summary>(business event, prediction id) → the sum of its values, for the events sent with a prediction id.</summary>
    private async Task<Dictionary<(string Name, string Prediction), double>> BusinessValuesAsync(
        string feature,
        HashSet<string> names,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken
    )
    {
        var found = new Dictionary<(string, string), double>();
        foreach (
            var e in await events
                .ReadEventsAsync(feature, from, to.AddTicks(1), cancellationToken)
                .ConfigureAwait(false)
        )
        {
            if (e is BusinessEvent { PredictionId: { } prediction } b && names.Contains(b.Name))
            {
                found[(b.Name, prediction)] = found.GetValueOrDefault((b.Name, prediction)) + b.Value;
            }
        }
        return found;
    }

    private static ArmSample Arm(
        Contract contract,
        ExperimentSpec spec,
        ProductionRows rows,
        string version,
        DateTimeOffset labelledBefore,
        HashSet<string> business,
        Dictionary<(string Name, string Prediction), double> values
    )
    {
        var units = new HashSet<string>(StringComparer.Ordinal);
        var perUnit = business.ToDictionary(b => b, _ => new Dictionary<string, double>(StringComparer.Ordinal));
        var labelled = default(Confusion);
        var latency = new List<double>();
        var costs = new List<double>();
        var unitValues =
            spec.Unit == ExperimentSpec.PredictionUnit ? rows.Ids : rows.Attributes.GetValueOrDefault(spec.Unit);
        var cutoff = Cutoff(labelledBefore);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows.ModelVersions[i] != version || unitValues?[i] is not { } unit)
            {
                continue;
            }
            units.Add(unit);
            foreach (var name in business)
            {
                var sums = perUnit[name];
                sums[unit] = sums.GetValueOrDefault(unit) + values.GetValueOrDefault((name, rows.Ids[i]));
            }
            if (!double.IsNaN(rows.LatencyMs[i]))
            {
                latency.Add(rows.LatencyMs[i]);
            }
            if (!double.IsNaN(rows.Costs[i]))
            {
                costs.Add(rows.Costs[i]);
            }
            if (Counted(contract, rows, i, cutoff))
            {
                labelled += Confusion.One(
                    rows.Labels[i] == contract.Labels.Positive,
                    ShadowPairing.Flagged(contract, rows, i)
                );
            }
        }
        return new ArmSample
        {
            Version = version,
            Units = units.Count,
            Labelled = labelled,
            LatencyMs = latency,
            Cost = Moments.Of(costs),
            Business = perUnit.ToDictionary(p => p.Key, p => Moments.Of(p.Value.Values), StringComparer.Ordinal),
        };
    }
}
