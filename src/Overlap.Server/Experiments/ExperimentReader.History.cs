using Overlap.Core.Contracts;
using Overlap.Core.Experiments;
using Overlap.Core.Timestamps;
using Overlap.Events;
using Overlap.Server.Monitoring;

namespace Overlap.Server.Experiments;

internal sealed partial class ExperimentReader
{
    /// <summary>
    /// The experiment day by day (<see cref="ExperimentHistory"/>): the predictions and business events since its start
    /// are read once, and the analysis is run once per day on those up to the end of that day, as
    /// <see cref="AnalyzeAsync"/> would have run it then (labels count for predictions older than the contract's
    /// <c>label_delay</c> at that moment; the labels are the ones stored now). The last moment is now, and equals
    /// <see cref="AnalyzeAsync"/>; with <paramref name="estimate"/>, the last moment carries its estimates as it does.
    /// </summary>
    public async Task<ExperimentHistory> HistoryAsync(
        FoundExperiment found,
        bool estimate,
        CancellationToken cancellationToken
    )
    {
        var (contract, spec) = (found.Contract, found.Spec);
        var (start, now) = await SpanAsync(contract, spec, cancellationToken).ConfigureAwait(false);
        var rows = await events
            .ReadPredictionsAsync(
                contract.Feature,
                start,
                now.AddTicks(1),
                ArmAttributes(contract, spec),
                cancellationToken: cancellationToken
            )
            .ConfigureAwait(false);
        var business = BusinessNames(spec);
        IReadOnlyList<BusinessEvent> sent =
            business.Count == 0
                ? []
                :
                [
                    .. (
                        await events
                            .ReadEventsAsync(contract.Feature, start, now.AddTicks(1), cancellationToken)
                            .ConfigureAwait(false)
                    )
                        .OfType<BusinessEvent>()
                        .Where(b => b.PredictionId is not null && business.Contains(b.Name)),
                ];
        var delay = contract.Monitoring?.LabelDelay ?? TimeSpan.Zero;
        var moments = new List<ExperimentMoment>();
        foreach (var at in ExperimentHistory.Times(start, now))
        {
            var cut = UnixMicroseconds.From(at);
            // The rows are in time order: those up to the moment are a prefix.
            var upTo = Array.FindLastIndex(rows.TimesUs, t => t <= cut) + 1;
            var seen = upTo == rows.Count ? rows : ProductionWindows.Where(rows, i => i < upTo);
            var values = new Dictionary<(string Name, string Prediction), double>();
            foreach (var b in sent.Where(b => b.Time <= at))
            {
                values[(b.Name, b.PredictionId!)] = values.GetValueOrDefault((b.Name, b.PredictionId!)) + b.Value;
            }
            var control = Arm(contract, spec, seen, spec.Control, at - delay, business, values);
            var treatment = Arm(contract, spec, seen, spec.Treatment, at - delay, business, values);
            moments.Add(
                new ExperimentMoment(
                    at,
                    control.Units,
                    treatment.Units,
                    ExperimentAnalysis.Analyze(contract, spec, control, treatment, at - start)
                )
            );
        }
        // Estimates inform about now only: the last moment carries them, as AnalyzeAsync's report does.
        if (estimate && !spec.Shadow)
        {
            moments[^1] = moments[^1] with
            {
                Report = moments[^1].Report with { Estimated = Estimates(contract, spec, rows, now - delay) },
            };
        }
        return new ExperimentHistory(start, moments);
    }

    /// <summary>The attributes an experiment reads from each prediction: the contract's, and the unit's when it is one.</summary>
    private static List<string> ArmAttributes(Contract contract, ExperimentSpec spec)
    {
        var attributes = ProductionWindows.Attributes(contract).ToList();
        if (spec.Unit != ExperimentSpec.PredictionUnit && !attributes.Contains(spec.Unit))
        {
            attributes.Add(spec.Unit);
        }
        return attributes;
    }

    /// <summary>The business events an experiment's primary metrics and guardrails compare.</summary>
    private static HashSet<string> BusinessNames(ExperimentSpec spec) =>
        spec
            .Primary.Concat(spec.Guardrails)
            .Select(m => m.Business)
            .Where(b => b is not null)
            .Select(b => b!)
            .ToHashSet(StringComparer.Ordinal);
}
