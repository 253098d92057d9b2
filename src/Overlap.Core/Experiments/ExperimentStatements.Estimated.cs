using Overlap.Core.Contracts;
using Overlap.Core.Statements;

namespace Overlap.Core.Experiments;

public static partial class ExperimentStatements
{
    /// <summary>
    /// One arm's predictions awaiting labels in words, marked as an estimate: "Not yet labelled: 312 emails served by
    /// v2. Estimated from its scores, calibrated on its own 1,204 labelled emails: catches 85 of every 100 spam emails
    /// (78% to 91%); …, at 95% confidence. An estimate, not a measurement: the decision waits for their labels."; or why
    /// nothing is estimated.
    /// </summary>
    public static string Estimated(ArmEstimate arm, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(arm);
        ArgumentNullException.ThrowIfNull(contract);
        var words = contract.Words;
        var by = arm.Shadow ? "scored in shadow by" : "served by";
        if (arm.Awaiting == 0)
        {
            return $"No scored {words.Example} {by} {arm.Version} is awaiting its label: there is nothing to estimate.";
        }
        var awaiting = $"Not yet labelled: {Phrasing.Count(arm.Awaiting, words.Example)} {by} {arm.Version}.";
        const string Waits = "The decision waits for their labels.";
        var labelled = Phrasing.Count(arm.CalibrationRows, $"labelled {words.Example}");
        if (!arm.Calibrated)
        {
            var positives = Phrasing.Count(arm.CalibrationPositives, words.Positive);
            return $"{awaiting} No estimate: calibrating {arm.Version}'s scores needs at least "
                + $"{arm.MinimumRows.ToString("#,0", Invariant)} of its own labelled {Phrasing.Plural(words.Example)}, "
                + $"{Phrasing.Plural(words.Positive)} and {Phrasing.Plural(words.Negative)} both among them, and it has "
                + $"{arm.CalibrationRows.ToString("#,0", Invariant)} ({positives}). {Waits}";
        }
        var basis = arm.Isotonic
            ? $"calibrated on its own {labelled}"
            : $"taken as they are (calibrating them on its own {labelled} did not help)";
        var figures = arm.Metrics.Select(m => EstimatedFigure(m, words)).ToList();
        var list = figures.Count == 0 ? "no metric of the experiment can be estimated" : string.Join("; ", figures);
        return $"{awaiting} Estimated from its scores, {basis}: {list}, at {Phrasing.Confidence(contract.Confidence)} "
            + $"confidence. An estimate, not a measurement: {Waits.ToLowerInvariant()}";
    }

    /// <summary>"catches 85 of every 100 spam emails (78% to 91%)", or why the metric cannot be estimated.</summary>
    private static string EstimatedFigure(EstimatedMetric metric, ContractWords words)
    {
        var v = metric.Value;
        if (double.IsNaN(v.Value))
        {
            var these = $"these {Phrasing.Plural(words.Example)}";
            var why = MetricCatalog.Find(metric.Metric)?.Undefined?.Invoke(words, these)
                ?? $"{these} give nothing to count it on";
            return $"{why}, so {Phrasing.Name(metric.Metric)} cannot be estimated";
        }
        var result = MetricCatalog.Find(metric.Metric)?.Result?.Invoke(words, v.Value)
            ?? $"{Phrasing.Name(metric.Metric)} is {Phrasing.Number(v.Value)}";
        var range = double.IsNaN(v.CiLow) ? "" : $" ({Phrasing.Range(metric.Metric, v.CiLow, v.CiHigh)})";
        return result + range;
    }
}
