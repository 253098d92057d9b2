using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;

namespace Overlap.Core.Planning;

/// <summary>
/// Counts what a labelled data set shows for a plan: the confusion counts overall and per segment value, with
/// labels and decisions read exactly as <c>overlap eval</c> reads them (the prediction column, else
/// score ≥ threshold, the cost-optimal one for <c>threshold: optimize</c>). Rows without a label are not counted.
/// For a multiclass task a right decision counts as a true positive and a wrong one as a true negative, so that
/// accuracy is tp / n; a regression task only counts examples.
/// </summary>
public static class PlanDataReader
{
    /// <summary>The columns a plan reads and the rules they must follow: those of an evaluation.</summary>
    public static TableReadOptions Options(Contract contract, string source) => Evaluator.ReadOptions(contract, source);

    /// <summary>Counts the labelled rows of <paramref name="table"/> (read with <see cref="Options"/>).</summary>
    /// <exception cref="DataException">A label or a prediction is not one the contract names.</exception>
    public static PlanData Count(Table table, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(contract);
        var c = contract.Columns;
        var labels = table.Find(c.Label)
            ?? throw new DataException(
                $"the data has no label column '{c.Label}'; add it or fix columns.label in the contract"
            );
        var rows = EvaluationInputs.LabelledRows(labels);
        var one = new Confusion[rows.Length];
        if (contract.Task == TaskKind.Binary)
        {
            var truth = EvaluationInputs.Binary(labels, rows, contract.Labels, "label", table.Source);
            var flagged = Decisions(table, contract, rows, truth);
            for (var i = 0; i < rows.Length; i++)
            {
                one[i] = Confusion.One(truth[i] == 1, flagged[i]);
            }
        }
        else if (contract.Task == TaskKind.Multiclass && c.Prediction is { } p && table.Find(p) is { } predictions)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                one[i] =
                    labels.Text(rows[i]) == predictions.Text(rows[i])
                        ? new Confusion(1, 0, 0, 0)
                        : new Confusion(0, 0, 0, 1);
            }
        }
        else
        {
            Array.Fill(one, new Confusion(0, 0, 0, 1));
        }

        var overall = new Confusion();
        foreach (var x in one)
        {
            overall += x;
        }
        var segments = new Dictionary<string, IReadOnlyList<KeyValuePair<string, Confusion>>>(StringComparer.Ordinal);
        foreach (var name in c.Segments)
        {
            var column = EvaluationInputs.Segment(
                table.Find(name)
                    ?? throw new DataException(
                        $"the data has no segment column '{name}'; add it or fix columns.segments in the contract"
                    ),
                rows
            );
            var counts = new Confusion[column.Values.Count];
            var codes = column.Codes.Span;
            for (var i = 0; i < rows.Length; i++)
            {
                if (codes[i] >= 0)
                {
                    counts[codes[i]] += one[i];
                }
            }
            segments[name] = [.. column.Values.Select((v, k) => KeyValuePair.Create(v, counts[k]))];
        }
        return new PlanData { Overall = overall, Segments = segments };
    }

    private static bool[] Decisions(Table table, Contract contract, int[] rows, byte[] truth)
    {
        var c = contract.Columns;
        if (c.Prediction is { } p && table.Find(p) is { } predictions)
        {
            return
            [
                .. EvaluationInputs
                    .Binary(predictions, rows, contract.Labels, "prediction", table.Source)
                    .Select(d => d == 1),
            ];
        }
        var score = table.Find(c.Score!)
            ?? throw new DataException(
                $"the data has no score column '{c.Score}'; add it or fix columns.score in the contract"
            );
        var scores = EvaluationInputs.Numbers(score, rows);
        var threshold = contract.Threshold;
        if (contract.OptimizeThreshold)
        {
            // The cost-optimal threshold on the labelled rows, as `overlap eval` picks it.
            var options = new BinaryOptions
            {
                Resamples = 0,
                CostFalsePositive = contract.Costs.FalsePositive,
                CostFalseNegative = contract.Costs.FalseNegative,
            };
            threshold = Math.Min(
                1,
                BinaryEvaluator.Evaluate(new BinarySample(scores, truth), options).Thresholds.Optimum.Threshold
            );
        }
        return [.. scores.Select(s => s >= threshold)];
    }
}
