using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Evaluation;

public static partial class Evaluator
{
    /// <summary>
    /// The candidate (the data file) against the baseline (the same examples scored by the model in use):
    /// McNemar on accuracy, the paired bootstrap on the rest. Rows are paired by the contract's id column
    /// when both files have it, else by position.
    /// </summary>
    private static ComparisonReport CompareBinary(Contract contract, Table table, int[] rows, Table baseline, BinarySample candidate, BinaryOptions options)
    {
        var pairedRows = PairRows(contract, table, rows, baseline);
        var baselineSample = BinarySampleOf(contract with { Columns = contract.Columns with { Segments = [] }, Requirements = [] }, baseline, pairedRows, contract.Columns.Label);
        var labels = candidate.Labels.Span;
        var baselineLabels = baselineSample.Labels.Span;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] != baselineLabels[i])
            {
                throw new DataException(string.Create(Inv, $"the baseline gives a different label than the data for data row {rows[i] + 1}; a comparison needs both models scored on the same labelled examples"));
            }
        }
        var plain = new BinarySample(candidate.Scores, candidate.Labels, candidate.Predictions);
        var result = PairedComparison.Compare(baselineSample, plain, options);
        var differences = new List<MetricDifference>();
        var mcnemar = McNemar.Test(result.OnlyARight, result.OnlyBRight);
        var alpha = 1 - contract.Confidence;
        var accuracyReal = mcnemar.PValue < alpha;
        differences.Add(new MetricDifference
        {
            Metric = BinaryMetricNames.Accuracy,
            Baseline = result.AccuracyA,
            Candidate = result.AccuracyB,
            Difference = result.AccuracyDifference,
            PValue = mcnemar.PValue,
            Method = mcnemar.Exact ? "mcnemar_exact" : "mcnemar_chi2",
            Significant = accuracyReal,
            Direction = Direction(accuracyReal, result.AccuracyDifference, higherIsBetter: true),
        });
        foreach (var (metric, d) in result.Differences)
        {
            if (contract.Columns.Score is null && MetricCatalog.Find(metric)?.NeedsScore == true)
            {
                continue;
            }
            var higher = MetricCatalog.Find(metric)?.HigherIsBetter != false;
            differences.Add(new MetricDifference
            {
                Metric = metric,
                Baseline = d.A,
                Candidate = d.B,
                Difference = d.Difference,
                CiLow = double.IsNaN(d.Interval.Low) ? null : d.Interval.Low,
                CiHigh = double.IsNaN(d.Interval.High) ? null : d.Interval.High,
                Method = "paired_bootstrap",
                Significant = d.IsReal,
                Direction = Direction(d.IsReal, d.Difference, higher),
            });
        }
        return new ComparisonReport { N = result.N, Differences = differences, Statements = ComparisonStatements(differences, contract.Confidence, result) };
    }

    /// <summary>better, worse or no_real_difference, from the second model's side.</summary>
    internal static string Direction(bool real, double difference, bool higherIsBetter) =>
        !real || difference == 0 ? "no_real_difference" : (difference > 0) == higherIsBetter ? "better" : "worse";

    /// <summary>Candidate rows (labelled) to baseline rows: by id when both files have the contract's id column, else by position.</summary>
    private static int[] PairRows(Contract contract, Table table, int[] rows, Table baseline)
    {
        if (contract.Columns.Id is { } id && table.Find(id) is { } ids && baseline.Find(id) is { } baselineIds)
        {
            var index = new Dictionary<string, int>(baseline.RowCount, StringComparer.Ordinal);
            for (var r = 0; r < baseline.RowCount; r++)
            {
                if (baselineIds.Text(r) is { } key && !index.TryAdd(key, r))
                {
                    throw new DataException($"the baseline has id '{key}' twice (column '{id}'); each example must appear once");
                }
            }
            var paired = new int[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                var key = ids.Text(rows[i]);
                if (key is null || !index.TryGetValue(key, out paired[i]))
                {
                    throw new DataException(string.Create(Inv, $"the example with id '{key}' (data row {rows[i] + 1}) is not in the baseline; score the same examples with both models"));
                }
            }
            return paired;
        }
        if (baseline.RowCount != table.RowCount)
        {
            throw new DataException(string.Create(Inv, $"the baseline has {baseline.RowCount:#,0} rows and the data {table.RowCount:#,0}; without an id column (columns.id) the rows are paired by position, so both files need the same examples in the same order"));
        }
        return rows;
    }

    private static List<string> ComparisonStatements(List<MetricDifference> differences, double confidence, PairedComparisonResult result)
    {
        var statements = new List<string>();
        var better = differences.Where(d => d.Direction == "better").Select(d => Phrasing.Name(d.Metric)).ToList();
        var worse = differences.Where(d => d.Direction == "worse").Select(d => Phrasing.Name(d.Metric)).ToList();
        statements.Add(better.Count + worse.Count == 0
            ? string.Create(Inv, $"On these {result.N:#,0} examples no difference between the models is real at {Phrasing.Percent(confidence)} confidence; what differs is noise.")
            : string.Create(Inv, $"On these {result.N:#,0} examples the candidate is really better on {List(better)} and really worse on {List(worse)}; every other difference is noise."));
        foreach (var d in differences)
        {
            var sign = d.Difference >= 0 ? "+" : string.Empty;
            var ci = d.CiLow is { } lo && d.CiHigh is { } hi ? $", {Phrasing.Number(lo)} to {Phrasing.Number(hi)}" : d.PValue is { } p ? ", McNemar " + Phrasing.PValue(p) : string.Empty;
            var verdict = d.Direction switch
            {
                "better" => "a real improvement",
                "worse" => "a real loss",
                _ => "noise",
            };
            statements.Add($"{Phrasing.Capitalize(Phrasing.Name(d.Metric))}: {Phrasing.Number(d.Baseline)} → {Phrasing.Number(d.Candidate)} ({sign}{Phrasing.Number(d.Difference)}{ci}): {verdict}.");
        }
        return statements;
    }

    private static string List(List<string> items) => items.Count == 0 ? "nothing" : string.Join(", ", items);
}
