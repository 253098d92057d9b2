using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Fairness;
using Overlap.Core.Monitoring;
using Overlap.Core.Timestamps;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>Cuts stored predictions into the contract's windows, with the labelled ones as a table in the contract's columns.</summary>
internal static class ProductionWindows
{
    /// <summary>The attributes a contract needs from each prediction: its segments, watched features and sensitive attributes.</summary>
    public static IReadOnlyList<string> Attributes(Contract contract) =>
        [
            .. contract
                .Columns.Segments.Concat(contract.Columns.Features ?? [])
                .Concat(contract.Fairness?.Attributes ?? [])
                .Distinct(StringComparer.Ordinal),
        ];

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
            Workflows = Pick(rows.Workflows),
            Attributes = rows.Attributes.ToDictionary(a => a.Key, a => Pick(a.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The watched inputs and score of every row, as one table: the reference for drift (values the contract cannot take left out).</summary>
    public static Table Inputs(Contract contract, int version, ProductionRows rows, string source)
    {
        var screen = new RowScreen(contract, version);
        return Inputs(
            contract,
            [.. rows.Scores.Select(s => screen.Score(s))],
            Repaired(rows, 0, rows.Count, screen),
            source
        );
    }

    /// <summary>The attributes of rows [first, last), with NULs and lone surrogates replaced (and counted, by the predictions each row stands for) once for every reader of them.</summary>
    private static Dictionary<string, string?[]> Repaired(
        ProductionRows rows,
        int first,
        int last,
        RowScreen screen,
        long[]? counts = null
    ) =>
        rows.Attributes.ToDictionary(
            a => a.Key,
            a => a.Value[first..last].Select((v, i) => screen.Text(a.Key, v, counts?[first + i] ?? 1)).ToArray(),
            StringComparer.Ordinal
        );

    /// <summary>
    /// The rows cut into <paramref name="windows"/>, judged by contract <paramref name="version"/>: each window's rows and
    /// values that version cannot take are left out and counted in <see cref="ProductionWindow.LeftOut"/> (see <see cref="RowScreen"/>).
    /// Without <paramref name="inputs"/>, <see cref="ProductionWindow.Inputs"/> is left empty (a chunk of a large window,
    /// whose drift is tested on a sample).
    /// </summary>
    public static IEnumerable<ProductionWindow> Cut(
        Contract contract,
        int version,
        ProductionRows rows,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows,
        bool inputs = true
    )
    {
        // Production windows are judged alone (no baseline to pair by id), so the id column, a distinct value per row, stays out.
        var read = Evaluator.ReadOptions(contract, $"{contract.Feature} production");
        var options = new TableReadOptions
        {
            Columns = [.. read.Columns!.Where(c => c != contract.Columns.Id)],
            Rules = read.Rules,
            Source = read.Source,
        };
        var row = 0;
        foreach (var (start, end) in windows)
        {
            // Windows may leave gaps (those already reported): skip the rows between.
            var startUs = UnixMicroseconds.From(start);
            while (row < rows.Count && rows.TimesUs[row] < startUs)
            {
                row++;
            }
            var endUs = UnixMicroseconds.From(end);
            var first = row;
            while (row < rows.Count && rows.TimesUs[row] < endUs)
            {
                row++;
            }
            yield return Window(
                contract,
                rows,
                first,
                row,
                start,
                end,
                options,
                new RowScreen(contract, version),
                inputs
            );
        }
    }

    /// <summary>
    /// The part of a window a store read in groups (<see cref="IPredictionGroupReader"/>), judged by contract
    /// <paramref name="version"/> as <see cref="Cut"/> judges rows, each group counting for the predictions it holds:
    /// a window to summarise (see <see cref="ProductionWindow.Groups"/>), without inputs.
    /// </summary>
    public static ProductionWindow CutGroups(
        Contract contract,
        int version,
        PredictionGroups groups,
        (DateTimeOffset Start, DateTimeOffset End) window
    )
    {
        ArgumentNullException.ThrowIfNull(groups);
        var read = Evaluator.ReadOptions(contract, $"{contract.Feature} production");
        var options = new TableReadOptions
        {
            Columns = [.. read.Columns!.Where(c => c != contract.Columns.Id)],
            Rules = read.Rules,
            Source = read.Source,
        };
        return Window(
            contract,
            groups.Rows,
            0,
            groups.Rows.Count,
            window.Start,
            window.End,
            options,
            new RowScreen(contract, version),
            inputs: false,
            groups
        );
    }

    /// <summary>The range of scores <paramref name="contract"/> admits (what a store groups by bin, see <see cref="PredictionGrouping"/>).</summary>
    public static (double Min, double Max) ScoreRange(Contract contract, int version) =>
        new RowScreen(contract, version).ScoreRange;

    /// <summary>
    /// The calibration for estimating a binary feature's performance: fitted on the labelled reference predictions
    /// (isotonic when it helps), or the scores as they are when the reference has no labels.
    /// </summary>
    public static (ScoreCalibration Calibration, int Labelled, int Positives) Calibration(
        Contract contract,
        int version,
        ProductionRows reference
    )
    {
        var screen = new RowScreen(contract, version);
        var scores = new List<double>();
        var labels = new List<byte>();
        for (var i = 0; i < reference.Count; i++)
        {
            var score = screen.Score(reference.Scores[i]);
            if (
                reference.Labels[i] is { } label
                && !double.IsNaN(score)
                && (label == contract.Labels.Positive || label == contract.Labels.Negative)
            )
            {
                scores.Add(score);
                labels.Add(label == contract.Labels.Positive ? (byte)1 : (byte)0);
            }
        }
        return (ScoreCalibration.Fit([.. scores], [.. labels]), scores.Count, labels.Count(l => l == 1));
    }

    private static Table Inputs(
        Contract contract,
        double[] scores,
        Dictionary<string, string?[]> attributes,
        string source
    )
    {
        var columns = WindowMonitor.DriftColumns(contract);
        var builder = new TableBuilder(new TableReadOptions { Columns = columns, Source = source });
        var values = new object?[columns.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = columns[c] == contract.Columns.Score ? scores[i] : attributes[columns[c]][i];
            }
            builder.AddRow(values);
        }
        return builder.Build();
    }

    /// <summary>
    /// Every prediction's sensitive attributes and score or decision, read with the contract's column rules (as the
    /// labelled rows are, so a group's value reads the same in both): what fairness counts selection rates on. Null when
    /// the contract has no fairness section or is not binary.
    /// </summary>
    private static SelectionRows? Selections(Contract contract, TableReadOptions options, string source)
    {
        if (contract.Fairness is not { } fairness || contract.Task != TaskKind.Binary)
        {
            return null;
        }
        var columns = contract.Columns;
        List<string> names = [.. fairness.Attributes];
        foreach (var decision in new[] { columns.Score, columns.Prediction })
        {
            if (decision is not null && !names.Contains(decision))
            {
                names.Add(decision);
            }
        }
        var rules = options
            .Rules.Where(r => names.Contains(r.Key))
            .ToDictionary(r => r.Key, r => r.Value with { Required = false }, StringComparer.Ordinal);
        return new SelectionRows(
            contract,
            new TableBuilder(
                new TableReadOptions
                {
                    Columns = names,
                    Rules = rules,
                    Source = source,
                }
            )
        );
    }

    /// <summary>The rows <see cref="Selections"/> reads, added one prediction at a time.</summary>
    private sealed class SelectionRows(Contract contract, TableBuilder builder)
    {
        private readonly object?[] _values = new object?[builder.Columns.Count];

        private readonly List<long> _counts = [];

        public void Add(
            ProductionRows rows,
            int row,
            double score,
            Dictionary<string, string?[]> attributes,
            int at,
            long count
        )
        {
            var columns = contract.Columns;
            for (var c = 0; c < _values.Length; c++)
            {
                var name = builder.Columns[c];
                _values[c] =
                    name == columns.Score ? score
                    : name == columns.Prediction ? rows.Predictions[row]
                    : attributes.TryGetValue(name, out var attribute) ? attribute[at]
                    : null;
            }
            // A value a column rule refuses (an attribute declared numeric that is not) leaves the prediction uncounted.
            if (builder.TryAddRow(_values, out _))
            {
                _counts.Add(count);
            }
        }

        public SelectionCells? Cells(Contract contract) => SelectionCells.Of(contract, builder.Build(), [.. _counts]);
    }

    private static ProductionWindow Window(
        Contract contract,
        ProductionRows rows,
        int first,
        int last,
        DateTimeOffset start,
        DateTimeOffset end,
        TableReadOptions options,
        RowScreen screen,
        bool inputs,
        PredictionGroups? groups = null
    )
    {
        var source = $"{contract.Feature} production, {start:yyyy-MM-dd HH:mm} to {end:yyyy-MM-dd HH:mm} UTC";
        var builder = new TableBuilder(
            new TableReadOptions
            {
                Columns = options.Columns,
                Rules = options.Rules,
                Source = source,
            }
        );
        var columns = contract.Columns;
        var values = new object?[builder.Columns.Count];
        var scores = new double[last - first];
        var counts = groups?.Counts;
        var attributes = Repaired(rows, first, last, screen, counts);
        var selections = Selections(contract, options, source);
        List<long> labelledCounts = [];
        List<double> labelledSums = [];
        List<(double, long, double, double)> scored = [];
        for (var i = first; i < last; i++)
        {
            var count = counts?[i] ?? 1;
            scores[i - first] = screen.Score(rows.Scores[i], count);
            selections?.Add(rows, i, scores[i - first], attributes, i - first, count);
            if (groups is not null && !double.IsNaN(scores[i - first]))
            {
                scored.Add((scores[i - first], count, groups.ScoreSums[i], groups.ScoreSquares[i]));
            }
            // Only labelled predictions are judged; a binary one without a usable score cannot be.
            if (
                screen.Label(rows.Labels[i], count) is not { } label
                || (columns.Score is not null && double.IsNaN(scores[i - first]))
                || !screen.Prediction(rows.Predictions[i], count)
            )
            {
                continue;
            }
            for (var c = 0; c < values.Length; c++)
            {
                var name = builder.Columns[c];
                values[c] =
                    name == columns.Label ? label
                    : name == columns.Score ? scores[i - first]
                    : name == columns.Prediction ? rows.Predictions[i]
                    : name == columns.Id ? rows.Ids[i]
                    : attributes.TryGetValue(name, out var attribute) ? attribute[i - first]
                    : null;
            }
            if (!builder.TryAddRow(values, out var refusal))
            {
                screen.Refused(refusal!, count);
            }
            else if (groups is not null)
            {
                labelledCounts.Add(count);
                labelledSums.Add(groups.ScoreSums[i]);
            }
        }
        if (groups is not null)
        {
            var exact = groups.ScoreValues.Count > 0;
            var summed = new WindowGroups
            {
                Labelled = [.. labelledCounts],
                LabelledScoreSums = [.. labelledSums],
                Scores = exact
                    ?
                    [
                        .. groups.ScoreValues.Select(v =>
                            (v.Score, v.Count, v.Count * v.Score, v.Count * v.Score * v.Score)
                        ),
                    ]
                    : scored,
                ExactScores = exact,
                Latencies =
                [
                    .. groups
                        .Latencies.Select(l => (screen.Latency(l.LatencyMs, l.Count), l.Count))
                        .Where(l => !double.IsNaN(l.Item1)),
                ],
                CostSum = groups.CostSum,
                CostCount = groups.CostCount,
            };
            foreach (var (cost, count) in groups.NonFiniteCosts)
            {
                screen.Cost(cost, count);
            }
            return new ProductionWindow
            {
                Inputs = Inputs(contract, [], attributes, source),
                Start = start,
                End = end,
                Predictions = checked((int)counts!.Sum()),
                Scores = [],
                LatencyMs = [],
                Costs = [],
                Labelled = builder.Build(),
                Selections = selections?.Cells(contract),
                LeftOut = screen.LeftOut.ToList(),
                Groups = summed,
            };
        }
        return new ProductionWindow
        {
            Inputs = inputs ? Inputs(contract, scores, attributes, source) : Inputs(contract, [], attributes, source),
            Start = start,
            End = end,
            Predictions = last - first,
            Scores = scores,
            LatencyMs = [.. rows.LatencyMs[first..last].Select(l => screen.Latency(l))],
            Costs = [.. rows.Costs[first..last].Select(c => screen.Cost(c))],
            Labelled = builder.Build(),
            Selections = selections?.Cells(contract),
            LeftOut = screen.LeftOut.ToList(),
        };
    }
}
