using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>Cuts stored predictions into the contract's windows, with the labelled ones as a table in the contract's columns.</summary>
internal static class ProductionWindows
{
    /// <summary>The attributes a contract needs from each prediction: its segments and watched features.</summary>
    public static IReadOnlyList<string> Attributes(Contract contract) =>
        [.. contract.Columns.Segments.Concat(contract.Columns.Features ?? []).Distinct(StringComparer.Ordinal)];

    /// <summary>The rows that have a label.</summary>
    public static ProductionRows Labelled(ProductionRows rows) => Where(rows, i => rows.Labels[i] is not null);

    /// <summary>The rows whose index passes <paramref name="predicate"/>, in order.</summary>
    public static ProductionRows Where(ProductionRows rows, Func<int, bool> predicate)
    {
        var keep = Enumerable.Range(0, rows.Count).Where(predicate).ToArray();
        T[] Pick<T>(T[] values) => [.. keep.Select(i => values[i])];
        return new ProductionRows
        {
            Ids = Pick(rows.Ids),
            TimesUs = Pick(rows.TimesUs),
            Scores = Pick(rows.Scores),
            Predictions = Pick(rows.Predictions),
            Labels = Pick(rows.Labels),
            LatencyMs = Pick(rows.LatencyMs),
            Costs = Pick(rows.Costs),
            ModelVersions = Pick(rows.ModelVersions),
            Attributes = rows.Attributes.ToDictionary(a => a.Key, a => Pick(a.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The watched inputs and score of every row, as one table: the reference for drift.</summary>
    public static Table Inputs(Contract contract, ProductionRows rows, string source) => Inputs(contract, rows, 0, rows.Count, source);

    public static IEnumerable<ProductionWindow> Cut(Contract contract, ProductionRows rows, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows)
    {
        // Production windows are judged alone (no baseline to pair by id), so the id column, a distinct value per row, stays out.
        var read = Evaluator.ReadOptions(contract, $"{contract.Feature} production");
        var options = new TableReadOptions { Columns = [.. read.Columns!.Where(c => c != contract.Columns.Id)], Rules = read.Rules, Source = read.Source };
        var row = 0;
        foreach (var (start, end) in windows)
        {
            // Windows may leave gaps (those already reported): skip the rows between.
            var startUs = DuckDbEventStore.ToMicroseconds(start);
            while (row < rows.Count && rows.TimesUs[row] < startUs)
            {
                row++;
            }
            var endUs = DuckDbEventStore.ToMicroseconds(end);
            var first = row;
            while (row < rows.Count && rows.TimesUs[row] < endUs)
            {
                row++;
            }
            yield return Window(contract, rows, first, row, start, end, options);
        }
    }

    /// <summary>
    /// The calibration for estimating a binary feature's performance: fitted on the labelled reference predictions
    /// (isotonic when it helps), or the scores as they are when the reference has no labels.
    /// </summary>
    public static ScoreCalibration Calibration(Contract contract, ProductionRows reference)
    {
        var scores = new List<double>();
        var labels = new List<byte>();
        for (var i = 0; i < reference.Count; i++)
        {
            if (reference.Labels[i] is { } label && !double.IsNaN(reference.Scores[i]) && (label == contract.Labels.Positive || label == contract.Labels.Negative))
            {
                scores.Add(reference.Scores[i]);
                labels.Add(label == contract.Labels.Positive ? (byte)1 : (byte)0);
            }
        }
        return ScoreCalibration.Fit([.. scores], [.. labels]);
    }

    private static Table Inputs(Contract contract, ProductionRows rows, int first, int last, string source)
    {
        var columns = WindowMonitor.DriftColumns(contract);
        var builder = new TableBuilder(new TableReadOptions { Columns = columns, Source = source });
        var values = new object?[columns.Count];
        for (var i = first; i < last; i++)
        {
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = columns[c] == contract.Columns.Score ? rows.Scores[i] : rows.Attributes[columns[c]][i];
            }
            builder.AddRow(values);
        }
        return builder.Build();
    }

    private static ProductionWindow Window(Contract contract, ProductionRows rows, int first, int last, DateTimeOffset start, DateTimeOffset end, TableReadOptions options)
    {
        var source = $"{contract.Feature} production, {start:yyyy-MM-dd HH:mm} to {end:yyyy-MM-dd HH:mm} UTC";
        var builder = new TableBuilder(new TableReadOptions { Columns = options.Columns, Rules = options.Rules, Source = source });
        var columns = contract.Columns;
        var values = new object?[builder.Columns.Count];
        for (var i = first; i < last; i++)
        {
            // Only labelled predictions are judged; a binary one without a score cannot be.
            if (rows.Labels[i] is null || (columns.Score is not null && double.IsNaN(rows.Scores[i])))
            {
                continue;
            }
            for (var c = 0; c < values.Length; c++)
            {
                var name = builder.Columns[c];
                values[c] = name == columns.Label ? rows.Labels[i]
                    : name == columns.Score ? rows.Scores[i]
                    : name == columns.Prediction ? rows.Predictions[i]
                    : name == columns.Id ? rows.Ids[i]
                    : rows.Attributes.TryGetValue(name, out var attribute) ? attribute[i]
                    : null;
            }
            builder.AddRow(values);
        }
        return new ProductionWindow
        {
            Inputs = Inputs(contract, rows, first, last, source),
            Start = start,
            End = end,
            Predictions = last - first,
            Scores = rows.Scores[first..last],
            LatencyMs = rows.LatencyMs[first..last],
            Costs = rows.Costs[first..last],
            Labelled = builder.Build(),
        };
    }
}
