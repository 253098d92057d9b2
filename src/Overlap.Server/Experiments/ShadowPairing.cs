using Overlap.Core.Contracts;
using Overlap.Core.Experiments;
using Overlap.Events.Experiments;
using Overlap.Storage;

namespace Overlap.Server.Experiments;

/// <summary>
/// Pairs a shadow experiment's predictions: each shadow prediction of the treatment (id: the served id +
/// <see cref="ShadowPrediction.Suffix"/>) with the control's served prediction of that id. A pair is labelled when the
/// served prediction's label had time to arrive (the contract's <c>label_delay</c>, as the A/B arms use); the shadow
/// takes the served prediction's label. A shadow prediction whose served prediction is missing is left out and counted.
/// </summary>
internal static class ShadowPairing
{
    /// <summary>
    /// The shadow experiment <paramref name="spec"/> judged on <paramref name="rows"/>; with <paramref name="estimate"/>,
    /// each side's pairs awaiting labels estimated from its own scores, calibrated on its labelled pairs.
    /// </summary>
    public static ExperimentReport Analyze(
        Contract contract,
        ExperimentSpec spec,
        ProductionRows rows,
        DateTimeOffset labelledBefore,
        TimeSpan elapsed,
        bool estimate
    )
    {
        var served = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows.ModelVersions[i] == spec.Control && ShadowPrediction.ServedId(rows.Ids[i]) is null)
            {
                served[rows.Ids[i]] = i;
            }
        }
        var pairs = new List<(string Id, int Served, int Shadow)>();
        long orphans = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows.ModelVersions[i] != spec.Treatment || ShadowPrediction.ServedId(rows.Ids[i]) is not { } id)
            {
                continue;
            }
            if (served.TryGetValue(id, out var s))
            {
                pairs.Add((id, s, i));
            }
            else
            {
                orphans++;
            }
        }
        // By served id, so the paired bootstrap draws the same resamples however the store ordered the rows.
        pairs.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var cutoff = ExperimentReader.Cutoff(labelledBefore);
        var labelled = new List<LabelledPair>();
        if (contract.Task == TaskKind.Binary)
        {
            foreach (var (_, s, t) in pairs)
            {
                if (ExperimentReader.Counted(contract, rows, s, cutoff))
                {
                    labelled.Add(
                        new LabelledPair(
                            rows.Labels[s] == contract.Labels.Positive,
                            Flagged(contract, rows, s),
                            Flagged(contract, rows, t)
                        )
                    );
                }
            }
        }
        var sample = new ShadowSample
        {
            Control = Arm(spec.Control, rows, pairs.Select(p => p.Served)),
            Treatment = Arm(spec.Treatment, rows, pairs.Select(p => p.Shadow)),
            Labelled = labelled,
            Counts = new ShadowCounts(pairs.Count, labelled.Count, orphans, served.Count - pairs.Count),
        };
        var report = ExperimentAnalysis.AnalyzeShadow(contract, spec, sample, elapsed);
        if (!estimate || contract.Task != TaskKind.Binary)
        {
            return report;
        }
        // The shadow takes the served prediction's label; each side's scores are calibrated on their own.
        var servedSide = pairs.Select(p => (Label: p.Served, Scored: p.Served));
        var shadowSide = pairs.Select(p => (Label: p.Served, Scored: p.Shadow));
        return report with
        {
            Estimated =
            [
                ExperimentReader.Estimate(contract, spec, rows, spec.Control, servedSide, cutoff),
                ExperimentReader.Estimate(contract, spec, rows, spec.Treatment, shadowSide, cutoff) with
                {
                    Shadow = true,
                },
            ],
        };
    }

    /// <summary>Whether a binary prediction flagged its example: its score at the threshold, else its decision.</summary>
    public static bool Flagged(Contract contract, ProductionRows rows, int i) =>
        double.IsNaN(rows.Scores[i])
            ? rows.Predictions[i] == contract.Labels.Positive
            : rows.Scores[i] >= contract.Threshold;

    /// <summary>One side's latencies and costs over its paired predictions.</summary>
    private static ArmSample Arm(string version, ProductionRows rows, IEnumerable<int> indices)
    {
        var list = indices.ToList();
        return new ArmSample
        {
            Version = version,
            Units = list.Count,
            LatencyMs = [.. list.Select(i => rows.LatencyMs[i]).Where(v => !double.IsNaN(v))],
            Cost = Moments.Of(list.Select(i => rows.Costs[i]).Where(v => !double.IsNaN(v))),
        };
    }
}
