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
    private static ComparisonReport CompareBinary(
        Contract contract,
        Table table,
        int[] rows,
        Table baseline,
        BinarySample candidate,
        BinaryOptions options
    )
    {
        var pairedRows = PairRows(contract, table, rows, baseline);
        var baselineSample = BinarySampleOf(
            contract with
            {
                Columns = contract.Columns with { Segments = [] },
                Requirements = [],
            },
            baseline,
            pairedRows,
            contract.Columns.Label
        );
        SameLabels<byte>(candidate.Labels.Span, baselineSample.Labels.Span, rows);
        var plain = new BinarySample(candidate.Scores, candidate.Labels, candidate.Predictions);
        var result = PairedComparison.Compare(baselineSample, plain, options);
        var differences = new List<MetricDifference>
        {
            McNemarAccuracy(
                result.OnlyARight,
                result.OnlyBRight,
                result.AccuracyA,
                result.AccuracyB,
                contract.Confidence
            ),
        };
        foreach (var (metric, d) in result.Differences)
        {
            if (contract.Columns.Score is null && MetricCatalog.Find(metric)?.NeedsScore == true)
            {
                continue;
            }
            differences.Add(
                new MetricDifference
                {
                    Metric = metric,
                    Baseline = d.A,
                    Candidate = d.B,
                    Difference = d.Difference,
                    CiLow = double.IsNaN(d.Interval.Low) ? null : d.Interval.Low,
                    CiHigh = double.IsNaN(d.Interval.High) ? null : d.Interval.High,
                    Method = "paired_bootstrap",
                    Significant = d.IsReal,
                    Direction = Direction(d.IsReal, d.Difference, metric),
                }
            );
        }
        return new ComparisonReport
        {
            N = result.N,
            Differences = differences,
            Statements = ComparisonStatements(differences, contract.Confidence, result.N),
        };
    }

    /// <summary>A multiclass candidate against the baseline's classes on the same examples: McNemar on accuracy.</summary>
    private static ComparisonReport CompareMulticlass(
        Contract contract,
        Table table,
        int[] rows,
        Table baseline,
        MulticlassSample candidate
    )
    {
        var pairedRows = PairRows(contract, table, rows, baseline);
        var classes = candidate.Classes;
        var labels = EvaluationInputs.Classes(
            Require(baseline, contract.Columns.Label, "label"),
            pairedRows,
            classes,
            "label",
            baseline.Source,
            contract.Labels
        );
        var predictions = EvaluationInputs.Classes(
            Require(baseline, contract.Columns.Prediction!, "prediction"),
            pairedRows,
            classes,
            "prediction",
            baseline.Source,
            contract.Labels
        );
        SameLabels<int>(candidate.Labels.Span, labels, rows);
        var mine = candidate.Predictions.Span;
        long onlyBaseline = 0,
            onlyCandidate = 0,
            baselineRight = 0,
            candidateRight = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var (b, c) = (predictions[i] == labels[i], mine[i] == labels[i]);
            baselineRight += b ? 1 : 0;
            candidateRight += c ? 1 : 0;
            onlyBaseline += b && !c ? 1 : 0;
            onlyCandidate += c && !b ? 1 : 0;
        }
        var differences = new List<MetricDifference>
        {
            McNemarAccuracy(
                onlyBaseline,
                onlyCandidate,
                (double)baselineRight / labels.Length,
                (double)candidateRight / labels.Length,
                contract.Confidence
            ),
        };
        return new ComparisonReport
        {
            N = labels.Length,
            Differences = differences,
            Statements = ComparisonStatements(differences, contract.Confidence, labels.Length),
        };
    }

    /// <summary>A regression candidate against the baseline's values on the same examples: paired bootstrap on MAE and RMSE.</summary>
    private static ComparisonReport CompareRegression(
        Contract contract,
        Table table,
        int[] rows,
        Table baseline,
        RegressionSample candidate,
        EvaluationOptions options
    )
    {
        var pairedRows = PairRows(contract, table, rows, baseline);
        var labels = EvaluationInputs.Numbers(Require(baseline, contract.Columns.Label, "label"), pairedRows);
        var predictions = EvaluationInputs.Numbers(
            Require(baseline, contract.Columns.Prediction!, "prediction"),
            pairedRows
        );
        SameLabels<double>(candidate.Targets.Span, labels, rows);
        var mine = candidate.Predictions.Span;
        var n = labels.Length;
        double[] absA = new double[n],
            absB = new double[n],
            sqA = new double[n],
            sqB = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (double.IsNaN(predictions[i]))
            {
                throw new DataException(
                    string.Create(
                        Inv,
                        $"{baseline.Source}: the baseline has no prediction for data row {rows[i] + 1}; score the same examples with both models"
                    )
                );
            }
            (absA[i], absB[i]) = (Math.Abs(labels[i] - predictions[i]), Math.Abs(labels[i] - mine[i]));
            (sqA[i], sqB[i]) = (absA[i] * absA[i], absB[i] * absB[i]);
        }
        var differences = new List<MetricDifference>
        {
            PairedMeans(RegressionMetricNames.Mae, absA, absB, v => v, options, contract.Confidence),
            PairedMeans(RegressionMetricNames.Rmse, sqA, sqB, Math.Sqrt, options, contract.Confidence),
        };
        return new ComparisonReport
        {
            N = n,
            Differences = differences,
            Statements = ComparisonStatements(differences, contract.Confidence, n),
        };
    }

    /// <summary>Accuracy of two models on the same examples by McNemar's test on the discordant pairs.</summary>
    private static MetricDifference McNemarAccuracy(
        long onlyBaselineRight,
        long onlyCandidateRight,
        double baseline,
        double candidate,
        double confidence,
        string metric = BinaryMetricNames.Accuracy
    )
    {
        var test = McNemar.Test(onlyBaselineRight, onlyCandidateRight);
        var real = test.PValue < 1 - confidence;
        return new MetricDifference
        {
            Metric = metric,
            Baseline = baseline,
            Candidate = candidate,
            Difference = candidate - baseline,
            PValue = test.PValue,
            Method = test.Exact ? "mcnemar_exact" : "mcnemar_chi2",
            Significant = real,
            Direction = Direction(real, candidate - baseline, metric),
        };
    }

    /// <summary>
    /// finish(mean of b) − finish(mean of a) with its percentile interval from the paired bootstrap: each replicate draws the
    /// same examples for both models (the seed's multinomial counts, as every other bootstrap here).
    /// </summary>
    private static MetricDifference PairedMeans(
        string metric,
        double[] a,
        double[] b,
        Func<double, double> finish,
        EvaluationOptions options,
        double confidence
    )
    {
        var n = a.Length;
        var counts = new int[n];
        var replicates = new double[options.Resamples];
        for (var r = 0; r < replicates.Length; r++)
        {
            Bootstrap.FillCounts(counts, options.Seed, r);
            double sa = 0,
                sb = 0;
            for (var i = 0; i < n; i++)
            {
                sa += counts[i] * a[i];
                sb += counts[i] * b[i];
            }
            replicates[r] = finish(sb / n) - finish(sa / n);
        }
        var interval = Bootstrap.Percentile(replicates, confidence);
        var (va, vb) = (finish(a.Average()), finish(b.Average()));
        var real = interval.IsKnown && (interval.Low > 0 || interval.High < 0);
        return new MetricDifference
        {
            Metric = metric,
            Baseline = va,
            Candidate = vb,
            Difference = vb - va,
            CiLow = interval.IsKnown ? interval.Low : null,
            CiHigh = interval.IsKnown ? interval.High : null,
            Method = "paired_bootstrap",
            Significant = real,
            Direction = Direction(real, vb - va, metric),
        };
    }

    /// <summary>Refuses a baseline whose labels differ from the data's: the two models must be judged on the same examples.</summary>
    private static void SameLabels<T>(ReadOnlySpan<T> labels, ReadOnlySpan<T> baselineLabels, int[] rows)
        where T : IEquatable<T>
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (!labels[i].Equals(baselineLabels[i]))
            {
                throw new DataException(
                    string.Create(
                        Inv,
                        $"the baseline gives a different label than the data for data row {rows[i] + 1}; a comparison needs both models scored on the same labelled examples"
                    )
                );
            }
        }
    }

    /// <summary>
    /// better, worse or no_real_difference, from the second model's side; higher or lower for a metric with no good
    /// direction (positive rate), which is never better or worse.
    /// </summary>
    internal static string Direction(bool real, double difference, string metric)
    {
        if (!real || difference == 0)
        {
            return "no_real_difference";
        }
        var info = MetricCatalog.Find(metric);
        if (info?.HasDirection == false)
        {
            return difference > 0 ? "higher" : "lower";
        }
        return (difference > 0) == (info?.HigherIsBetter != false) ? "better" : "worse";
    }

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
                    throw new DataException(
                        $"the baseline has id '{key}' twice (column '{id}'); each example must appear once"
                    );
                }
            }
            var paired = new int[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                var key = ids.Text(rows[i]);
                if (key is null || !index.TryGetValue(key, out paired[i]))
                {
                    throw new DataException(
                        string.Create(
                            Inv,
                            $"the example with id '{key}' (data row {rows[i] + 1}) is not in the baseline; score the same examples with both models"
                        )
                    );
                }
            }
            return paired;
        }
        if (baseline.RowCount != table.RowCount)
        {
            throw new DataException(
                string.Create(
                    Inv,
                    $"the baseline has {baseline.RowCount:#,0} rows and the data {table.RowCount:#,0}; without an id column (columns.id) the rows are paired by position, so both files need the same examples in the same order"
                )
            );
        }
        return rows;
    }

    private static List<string> ComparisonStatements(List<MetricDifference> differences, double confidence, long n)
    {
        var statements = new List<string>();
        var better = differences.Where(d => d.Direction == "better").Select(d => Phrasing.Name(d.Metric)).ToList();
        var worse = differences.Where(d => d.Direction == "worse").Select(d => Phrasing.Name(d.Metric)).ToList();
        var moved = differences
            .Where(d => d.Direction is "higher" or "lower")
            .Select(d => $"{Phrasing.Name(d.Metric)} is really {d.Direction}")
            .ToList();
        var changed =
            moved.Count == 0
                ? string.Empty
                : $" ({string.Join(", ", moved)}, which is neither better nor worse in itself)";
        statements.Add(
            better.Count + worse.Count == 0
                ? string.Create(
                    Inv,
                    $"On these {n:#,0} examples neither model is really better at {Phrasing.Confidence(confidence)} confidence{changed}; what differs is noise."
                )
                : string.Create(
                    Inv,
                    $"On these {n:#,0} examples the candidate is really better on {List(better)} and really worse on {List(worse)}{changed}; every other difference is noise."
                )
        );
        foreach (var d in differences)
        {
            var name = Phrasing.Capitalize(Phrasing.Name(d.Metric));
            if (double.IsNaN(d.Baseline) || double.IsNaN(d.Candidate))
            {
                var which =
                    double.IsNaN(d.Baseline) && double.IsNaN(d.Candidate) ? "either model"
                    : double.IsNaN(d.Baseline) ? "the baseline"
                    : "the candidate";
                statements.Add($"{name} cannot be compared: it cannot be measured for {which} on these examples.");
                continue;
            }
            var sign = d.Difference >= 0 ? "+" : string.Empty;
            var ci =
                d.CiLow is { } lo && d.CiHigh is { } hi ? $", {Phrasing.Number(lo)} to {Phrasing.Number(hi)}"
                : d.PValue is { } p ? ", McNemar " + Phrasing.PValue(p)
                : string.Empty;
            var verdict = d.Direction switch
            {
                "better" => "a real improvement",
                "worse" => "a real loss",
                "higher" => "really higher",
                "lower" => "really lower",
                _ => "noise",
            };
            statements.Add(
                $"{name}: {Phrasing.Number(d.Baseline)} → {Phrasing.Number(d.Candidate)} ({sign}{Phrasing.Number(d.Difference)}{ci}): {verdict}."
            );
        }
        return statements;
    }

    private static string List(List<string> items) => items.Count == 0 ? "nothing" : string.Join(", ", items);
}
