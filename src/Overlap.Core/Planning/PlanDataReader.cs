using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Metrics;

namespace Overlap.Core.Planning;

/// <summary>
/// Counts what a labelled data set shows for a plan: the confusion counts overall and per segment value, with
/// decisions taken as the contract says (the prediction column, else score ≥ threshold). Rows without a label
/// are not counted.
/// </summary>
public static class PlanDataReader
{
    /// <summary>The columns a plan reads and the rules they must follow.</summary>
    public static TableReadOptions Options(Contract contract, string source)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var c = contract.Columns;
        var rules = new Dictionary<string, ColumnRule>(StringComparer.Ordinal)
        {
            [c.Label] = new(ColumnKind.Categorical, Role: "label"),
        };
        var columns = new List<string> { c.Label };
        if (contract.Task != TaskKind.Regression)
        {
            if (c.Prediction is not null)
            {
                rules[c.Prediction] = new(ColumnKind.Categorical, Required: true, Role: "prediction");
                columns.Add(c.Prediction);
            }
            else if (c.Score is not null)
            {
                rules[c.Score] = new(ColumnKind.Numeric, Required: true, Min: 0, Max: 1, Role: "score");
                columns.Add(c.Score);
            }
        }
        foreach (var s in c.Segments)
        {
            rules.TryAdd(s, new(ColumnKind.Categorical, Role: "segment"));
        }
        return new TableReadOptions { Columns = [.. columns.Concat(c.Segments).Distinct(StringComparer.Ordinal)], Rules = rules, Source = source };
    }

    /// <summary>Counts the labelled rows of <paramref name="table"/> (read with <see cref="Options"/>).</summary>
    /// <exception cref="DataException">A label or a prediction is not one the contract names.</exception>
    public static PlanData Count(Table table, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(contract);
        var c = contract.Columns;
        var labels = Required(table, c.Label);
        var n = table.RowCount;
        // Per row: -1 unlabelled, else bit 0 "right label is positive / decision right", bit 1 "flagged".
        var outcome = new int[n];
        if (contract.Task == TaskKind.Multiclass)
        {
            var predictions = Required(table, c.Prediction!);
            for (var i = 0; i < n; i++)
            {
                var label = labels.Text(i);
                outcome[i] = label is null ? -1 : label == predictions.Text(i) ? 1 | 2 : 0;
            }
        }
        else if (contract.Task == TaskKind.Binary)
        {
            var decide = Decisions(table, contract, labels);
            for (var i = 0; i < n; i++)
            {
                var label = labels.Text(i);
                outcome[i] = label is null ? -1 : (Positive(label, contract, labels.Name) ? 1 : 0) | (decide[i] ? 2 : 0);
            }
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                outcome[i] = labels.Text(i) is null ? -1 : 0;
            }
        }

        var overall = new Confusion();
        var segments = new Dictionary<string, IReadOnlyList<KeyValuePair<string, Confusion>>>(StringComparer.Ordinal);
        var perColumn = c.Segments.Select(s => (CategoricalColumn)Required(table, s)).Select(col => (Column: col, Counts: new Confusion[col.Categories.Count])).ToList();
        for (var i = 0; i < n; i++)
        {
            if (outcome[i] < 0)
            {
                continue;
            }
            var one = One(outcome[i]);
            overall += one;
            foreach (var (column, counts) in perColumn)
            {
                var code = column.Codes[i];
                if (code >= 0)
                {
                    counts[code] += one;
                }
            }
        }
        foreach (var (column, counts) in perColumn)
        {
            segments[column.Name] = [.. column.Categories.Select((v, k) => KeyValuePair.Create(v, counts[k])).Where(kv => kv.Value.Total > 0)];
        }
        return new PlanData { Overall = overall, Segments = segments };
    }

    private static Confusion One(int outcome) => outcome switch
    {
        3 => new Confusion(1, 0, 0, 0),
        2 => new Confusion(0, 1, 0, 0),
        1 => new Confusion(0, 0, 1, 0),
        _ => new Confusion(0, 0, 0, 1),
    };

    private static bool[] Decisions(Table table, Contract contract, Column labels)
    {
        var c = contract.Columns;
        var n = table.RowCount;
        var flagged = new bool[n];
        if (c.Prediction is not null)
        {
            var predictions = Required(table, c.Prediction);
            for (var i = 0; i < n; i++)
            {
                flagged[i] = predictions.Text(i) switch
                {
                    null => false,
                    var p when p == contract.Labels.Positive || p is "1" or "true" or "True" => true,
                    var p when p == contract.Labels.Negative || p is "0" or "false" or "False" => false,
                    var p => throw new DataException($"the prediction column '{predictions.Name}' holds '{p}' in row {i + 1}; write '{contract.Labels.Positive}' or '{contract.Labels.Negative}' (or 1 and 0)"),
                };
            }
            return flagged;
        }
        var scores = (NumericColumn)Required(table, c.Score!);
        var threshold = contract.Threshold;
        if (contract.OptimizeThreshold)
        {
            // The cost-optimal threshold on the labelled rows, as `overlap eval` picks it.
            var rows = Enumerable.Range(0, n).Where(i => labels.Text(i) is not null).ToArray();
            var sample = new BinarySample(
                rows.Select(i => scores.Values[i]).ToArray(),
                rows.Select(i => Positive(labels.Text(i)!, contract, labels.Name) ? (byte)1 : (byte)0).ToArray());
            var options = new BinaryOptions { Resamples = 0, CostFalsePositive = contract.Costs.FalsePositive, CostFalseNegative = contract.Costs.FalseNegative };
            threshold = BinaryEvaluator.Evaluate(sample, options).Thresholds.Optimum.Threshold;
        }
        for (var i = 0; i < n; i++)
        {
            flagged[i] = scores.Values[i] >= threshold;
        }
        return flagged;
    }

    private static bool Positive(string label, Contract contract, string column)
    {
        if (label == contract.Labels.Positive)
        {
            return true;
        }
        return label == contract.Labels.Negative
            ? false
            : throw new DataException($"the label column '{column}' holds '{label}', which is neither labels.positive ('{contract.Labels.Positive}') nor labels.negative ('{contract.Labels.Negative}'); fix the data or the contract's labels");
    }

    private static Column Required(Table table, string name) =>
        table.Find(name) ?? throw new DataException($"the data has no column '{name}', which the contract names; add it or fix 'columns' in the contract");
}
