using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;
using Overlap.Core.Statistics;

namespace Overlap.Core.Monitoring;

/// <summary>
/// What a range of production needs from one window, in a form that merges: counts, cost sums, a latency sketch, the
/// labelled predictions of a binary feature as cells of (score bin, label, decision, segment values) with their count
/// and score sum, every prediction's calibrated probability sums per score bin for the estimate, and which columns
/// drifted. Thirty days are then the merge of thirty summaries, never a re-scan of the rows.
/// </summary>
/// <remarks>
/// Score bins are <see cref="ScoreBin"/> wide and anchored at the contract threshold, so every cell lies wholly on one
/// side of it: counts at the threshold, and every proportion and Wilson interval built from them, are exact. Figures
/// that depend on where a score sits inside its bin (ROC and PR AUC, Brier, log loss, ECE, the threshold sweep) take
/// each cell at its mean score, so they can differ from a re-scan of the rows by about the bin width.
/// </remarks>
public sealed class WindowSummary
{
    /// <summary>The width of a score bin.</summary>
    public const double ScoreBin = 0.001;

    private const char Separator = '\u001f';

    /// <summary>
    /// Version 3 adds the selection cells at the end, version 2 the left-out counts before them; versions 1 and 2 are
    /// still read (without selection cells, so a range holding them leaves fairness out).
    /// </summary>
    private const int FormatVersion = 3;

    /// <summary>Where the window starts (inclusive).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Where it ends (exclusive).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>How many predictions.</summary>
    public long Predictions { get; private set; }

    /// <summary>How many of them have a label the contract knows.</summary>
    public long Labelled { get; private set; }

    /// <summary>The sum of the costs sent.</summary>
    public double CostSum { get; private set; }

    /// <summary>How many predictions sent a cost.</summary>
    public long CostCount { get; private set; }

    /// <summary>The latencies sent.</summary>
    public QuantileSketch Latency { get; private set; } = new();

    /// <summary>The segment columns of the cells, in order.</summary>
    public IReadOnlyList<string> SegmentColumns { get; private set; } = [];

    /// <summary>Labelled cells: (bin, label bit 1 and decision bit 2, segment values joined) → (count, score sum).</summary>
    internal Dictionary<(int Bin, byte Flags, string Segments), (long Count, double ScoreSum)> Cells { get; } = [];

    /// <summary>Every scored prediction per bin: (count, score sum, Σ p, Σ p²) with p the calibrated probability.</summary>
    internal Dictionary<
        int,
        (long Count, double ScoreSum, double ProbabilitySum, double ProbabilitySquares)
    > Scores { get; } = [];

    /// <summary>Whether the window's inputs drifted (null without a drift test), and how many windows of a merge did.</summary>
    public int DriftedWindows { get; private set; }

    /// <summary>How many windows of a merge were tested for drift.</summary>
    public int DriftTestedWindows { get; private set; }

    /// <summary>Column → how many windows it drifted in.</summary>
    public Dictionary<string, int> DriftedColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>What the windows left out of their figures, by reason.</summary>
    public LeftOutTally LeftOut { get; } = new();

    /// <summary>
    /// Every prediction's decision by the contract's sensitive attributes, merged; null when the contract has no
    /// fairness section, or when a window merged here had predictions but no cells (summarised before they were kept).
    /// </summary>
    public Fairness.SelectionCells? Selections => _selectionsIncomplete ? null : _selections;

    private Fairness.SelectionCells? _selections;
    private bool _selectionsIncomplete;

    /// <summary>How many windows were merged into this summary.</summary>
    public int Windows { get; private set; } = 1;

    /// <summary>The score bin of <paramref name="score"/>: bins are anchored at <paramref name="threshold"/>, so bin ≥ 0 exactly when score ≥ threshold.</summary>
    public static int Bin(double score, double threshold) => (int)Math.Floor((score - threshold) / ScoreBin);

    /// <summary>Summarises one window, beside the report computed from the same rows.</summary>
    /// <exception cref="Data.DataException">The labelled rows do not fit the contract (as the window's evaluation would say).</exception>
    public static WindowSummary Build(
        Contract contract,
        ProductionWindow window,
        WindowReport report,
        ScoreCalibration? calibration
    )
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = Build(contract, window, calibration);
        summary.RecordDrift(report.Drift);
        return summary;
    }

    /// <summary>Records the window's drift test (none when <paramref name="drift"/> is null).</summary>
    public void RecordDrift(Drift.DriftReport? drift)
    {
        if (drift is null)
        {
            return;
        }
        DriftTestedWindows = 1;
        DriftedWindows = drift.DatasetDrift ? 1 : 0;
        foreach (var column in drift.Columns.Where(c => c.Drift))
        {
            DriftedColumns[column.Column] = 1;
        }
    }

    /// <summary>
    /// Summarises the rows of <paramref name="window"/> without a drift test: a whole window, or one chunk of a window
    /// read in chunks (see <see cref="Add"/>).
    /// </summary>
    /// <exception cref="Data.DataException">The labelled rows do not fit the contract (as the window's evaluation would say).</exception>
    public static WindowSummary Build(Contract contract, ProductionWindow window, ScoreCalibration? calibration)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(window);
        var summary = new WindowSummary
        {
            Start = window.Start,
            End = window.End,
            Predictions = window.Predictions,
        };
        summary.LeftOut.Add(window.LeftOut);
        summary.AddSelections(window.Predictions, window.Selections);
        // Latencies repeat (they are sent rounded): each distinct value is added to the sketch once, with its count.
        var latencies = new Dictionary<double, long>();
        foreach (var latency in window.LatencyMs)
        {
            if (!double.IsNaN(latency))
            {
                latencies[latency] = latencies.GetValueOrDefault(latency) + 1;
            }
        }
        var groups = window.Groups;
        foreach (var (latency, count) in groups?.Latencies ?? [])
        {
            latencies[latency] = latencies.GetValueOrDefault(latency) + count;
        }
        foreach (var (latency, count) in latencies)
        {
            summary.Latency.Add(latency, count);
        }
        foreach (var cost in window.Costs)
        {
            if (!double.IsNaN(cost))
            {
                summary.CostSum += cost;
                summary.CostCount++;
            }
        }
        summary.CostSum += groups?.CostSum ?? 0;
        summary.CostCount += groups?.CostCount ?? 0;
        if (contract.Task != TaskKind.Binary)
        {
            summary.Labelled = groups?.Labelled.Sum() ?? window.Labelled.RowCount;
            return summary;
        }
        var t = contract.Threshold;
        if (calibration is not null && contract.Columns.Score is not null)
        {
            foreach (var score in window.Scores)
            {
                if (!double.IsNaN(score))
                {
                    summary.AddScores(t, score, 1, score, score * score, calibration, exact: true);
                }
            }
            foreach (var (score, count, sum, squares) in groups?.Scores ?? [])
            {
                summary.AddScores(t, score, count, sum, squares, calibration, groups!.ExactScores);
            }
        }
        if (Evaluator.LabelledBinarySample(contract, window.Labelled) is not { } sample)
        {
            return summary;
        }
        // The sensitive attributes are kept in the cells beside the segments, so a range can be judged for fairness too.
        IReadOnlyList<SegmentColumn> kept =
        [
            .. sample.Segments,
            .. FairnessColumns(contract, window.Labelled, sample.Segments.Select(s => s.Name).ToHashSet()),
        ];
        summary.SegmentColumns = [.. kept.Select(s => s.Name)];
        var scores = sample.Scores.Span;
        var labels = sample.Labels.Span;
        var decisions = sample.Predictions.Span;
        // Rows are counted under a number for their combination of segment codes (each code + 1, in mixed radix), and
        // each combination is named once at the end: no text is built or hashed per row.
        var radices = kept.Select(k => (long)k.Values.Count + 1).ToArray();
        if (radices.Aggregate(1.0, (product, r) => product * r) > long.MaxValue / 2.0)
        {
            radices = [];
        }
        var counted = new Dictionary<(int Bin, byte Flags, long Combination), (long Count, double ScoreSum)>();
        var values = new string[kept.Count];
        if (groups is not null && groups.Labelled.Length != sample.Count)
        {
            throw new InvalidOperationException(
                $"{groups.Labelled.Length} group counts for {sample.Count} labelled rows: every labelled row must be judged"
            );
        }
        for (var i = 0; i < sample.Count; i++)
        {
            var (rows, scoreSum) = groups is null ? (1L, scores[i]) : (groups.Labelled[i], groups.LabelledScoreSums[i]);
            var decided = decisions.IsEmpty ? scores[i] >= t : decisions[i] == 1;
            var flags = (byte)(labels[i] | (decided ? 2 : 0));
            if (radices.Length == kept.Count)
            {
                long combination = 0;
                for (var c = 0; c < radices.Length; c++)
                {
                    combination = (combination * radices[c]) + kept[c].Codes.Span[i] + 1;
                }
                var at = (Bin(scores[i], t), flags, combination);
                var (n, s) = counted.GetValueOrDefault(at);
                counted[at] = (n + rows, s + scoreSum);
                continue;
            }
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = Value(kept[c], kept[c].Codes.Span[i]);
            }
            var key = (Bin(scores[i], t), flags, string.Join(Separator, values));
            var (count, sum) = summary.Cells.GetValueOrDefault(key);
            summary.Cells[key] = (count + rows, sum + scoreSum);
        }
        var names = new Dictionary<long, string>();
        foreach (var ((bin, flags, combination), (n, s)) in counted)
        {
            if (!names.TryGetValue(combination, out var joined))
            {
                var rest = combination;
                for (var c = values.Length - 1; c >= 0; c--)
                {
                    values[c] = Value(kept[c], (int)(rest % radices[c]) - 1);
                    rest /= radices[c];
                }
                names[combination] = joined = string.Join(Separator, values);
            }
            var key = (bin, flags, joined);
            var (count, sum) = summary.Cells.GetValueOrDefault(key);
            summary.Cells[key] = (count + n, sum + s);
        }
        summary.Labelled = groups?.Labelled.Sum() ?? sample.Count;
        return summary;
    }

    /// <summary>
    /// Adds <paramref name="count"/> scored predictions in the bin of <paramref name="score"/>, whose scores sum to
    /// <paramref name="sum"/> and their squares to <paramref name="squares"/>: their calibrated probabilities are those
    /// of the one value when <paramref name="exact"/> (all are <paramref name="score"/>), else the scores themselves
    /// (which only a calibration that leaves scores as they are allows).
    /// </summary>
    private void AddScores(
        double threshold,
        double score,
        long count,
        double sum,
        double squares,
        ScoreCalibration calibration,
        bool exact
    )
    {
        if (!exact && calibration.Recalibrated)
        {
            throw new ArgumentException("scores summed across values cannot be recalibrated", nameof(exact));
        }
        var p = calibration.Probability(score);
        var (probabilities, probabilitySquares) = exact ? (count * p, count * p * p) : (sum, squares);
        var bin = Bin(score, threshold);
        var (n, s, ps, qs) = Scores.GetValueOrDefault(bin);
        Scores[bin] = (n + count, s + sum, ps + probabilities, qs + probabilitySquares);
    }

    /// <summary>A cell's value of a segment column at a code: a prediction without the segment (the attribute was never sent) is kept with the value missing.</summary>
    private static string Value(SegmentColumn column, int code) => code < 0 ? "" : column.Values[code];

    /// <summary>The contract's sensitive attributes at the labelled rows, each not already a segment column.</summary>
    private static IEnumerable<SegmentColumn> FairnessColumns(
        Contract contract,
        Data.Table labelled,
        HashSet<string> segments
    )
    {
        if (contract.Fairness is not { } fairness || labelled.Find(contract.Columns.Label) is not { } label)
        {
            yield break;
        }
        var rows = EvaluationInputs.LabelledRows(label);
        foreach (var attribute in fairness.Attributes.Where(a => !segments.Contains(a)))
        {
            if (labelled.Find(attribute) is { } column)
            {
                yield return EvaluationInputs.Present(column, rows);
            }
        }
    }

    /// <summary>Whether the cells keep every sensitive attribute of <paramref name="contract"/> (summaries stored before they did do not).</summary>
    internal bool KeepsFairness(Contract contract) =>
        contract.Fairness is { } f
        && f.Attributes.All(a => SegmentColumns.Contains(a))
        && Selections is { } cells
        && cells.Covers(f);

    /// <summary>Adds the selection cells of <paramref name="predictions"/> more predictions; cells missing from any of them leave the merge without.</summary>
    private void AddSelections(long predictions, Fairness.SelectionCells? cells)
    {
        if (predictions == 0)
        {
            return;
        }
        if (
            cells is null
            || (
                _selections is not null
                && !_selections.Attributes.SequenceEqual(cells.Attributes, StringComparer.Ordinal)
            )
        )
        {
            _selectionsIncomplete = true;
            return;
        }
        _selections ??= new Fairness.SelectionCells(cells.Attributes);
        _selections.Add(cells);
    }

    /// <summary>The merge of <paramref name="summaries"/> (at least one) over [first start, last end).</summary>
    public static WindowSummary Merge(IReadOnlyList<WindowSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        if (summaries.Count == 0)
        {
            throw new ArgumentException("at least one summary is needed", nameof(summaries));
        }
        var merged = new WindowSummary
        {
            Start = summaries.Min(s => s.Start),
            End = summaries.Max(s => s.End),
            Windows = 0,
        };
        foreach (var s in summaries)
        {
            merged.Add(s);
            merged.Windows += s.Windows;
            merged.DriftedWindows += s.DriftedWindows;
            merged.DriftTestedWindows += s.DriftTestedWindows;
            foreach (var (column, windows) in s.DriftedColumns)
            {
                merged.DriftedColumns[column] = merged.DriftedColumns.GetValueOrDefault(column) + windows;
            }
        }
        return merged;
    }

    /// <summary>
    /// Adds the rows <paramref name="part"/> summarises (a chunk of this window, built by
    /// <see cref="Build(Contract, ProductionWindow, ScoreCalibration?)"/>): its counts, sums, latencies and cells. The
    /// number of windows and the drift tests are not added: a chunk is part of one window.
    /// </summary>
    /// <exception cref="ArgumentException">The part's cells have other segment columns (another contract version).</exception>
    public void Add(WindowSummary part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Cells.Count > 0 && SegmentColumns.Count == 0)
        {
            SegmentColumns = part.SegmentColumns;
        }
        else if (part.Cells.Count > 0 && !SegmentColumns.SequenceEqual(part.SegmentColumns, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                "summaries of different segment columns (different contract versions) do not merge",
                nameof(part)
            );
        }
        AddSelections(part.Predictions, part.Selections);
        Predictions += part.Predictions;
        Labelled += part.Labelled;
        CostSum += part.CostSum;
        CostCount += part.CostCount;
        Latency.Merge(part.Latency);
        LeftOut.Add(part.LeftOut.ToList());
        foreach (var (key, (count, sum)) in part.Cells)
        {
            var (c, total) = Cells.GetValueOrDefault(key);
            Cells[key] = (c + count, total + sum);
        }
        foreach (var (bin, (count, sum, probabilities, squares)) in part.Scores)
        {
            var (c, total, p, q) = Scores.GetValueOrDefault(bin);
            Scores[bin] = (c + count, total + sum, p + probabilities, q + squares);
        }
    }

    /// <summary>
    /// The labelled cells as rows in the contract's columns (label, score, decision, segments) with the number of
    /// predictions each stands for: what <see cref="Evaluator.Evaluate"/> judges with <see cref="EvaluationOptions.Frequencies"/>.
    /// A cell's score is its mean, kept inside its bin's side of the threshold and in [0, 1].
    /// </summary>
    public (Data.Table Table, int[] Frequencies) LabelledTable(Contract contract, string source)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var columns = contract.Columns;
        var names = new List<string> { columns.Label };
        if (columns.Score is { } score)
        {
            names.Add(score);
        }
        if (columns.Prediction is { } prediction)
        {
            names.Add(prediction);
        }
        names.AddRange(SegmentColumns.Where(s => !names.Contains(s)));
        var builder = new Data.TableBuilder(new Data.TableReadOptions { Columns = names, Source = source });
        var labels = contract.Labels;
        var positive = labels.Positive ?? "1";
        var negative = labels.Negative ?? (positive == "0" ? "1" : "0");
        var frequencies = new List<int>(Cells.Count);
        var row = new object?[builder.Columns.Count];
        foreach (
            var ((bin, flags, segments), (count, sum)) in Cells
                .OrderBy(c => c.Key.Bin)
                .ThenBy(c => c.Key.Flags)
                .ThenBy(c => c.Key.Segments, StringComparer.Ordinal)
        )
        {
            var values = SegmentColumns.Count == 0 ? [] : segments.Split(Separator);
            for (var c = 0; c < row.Length; c++)
            {
                var name = builder.Columns[c];
                row[c] =
                    name == columns.Label ? ((flags & 1) != 0 ? positive : negative)
                    : name == columns.Score ? Representative(sum / count, bin, contract.Threshold)
                    : name == columns.Prediction ? ((flags & 2) != 0 ? positive : negative)
                    : values[SegmentIndex(name)] is { Length: > 0 } value ? value
                    : null;
            }
            builder.AddRow(row);
            frequencies.Add(checked((int)count));
        }
        return (builder.Build(), [.. frequencies]);
    }

    /// <summary>Performance estimated over every scored prediction merged here; null without scores.</summary>
    public EstimatedPerformance? Estimate(Contract contract, bool recalibrated, int draws, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (Scores.Count == 0)
        {
            return null;
        }
        var bins = Scores.OrderBy(b => b.Key).ToArray();
        var scores = bins.Select(b => Representative(b.Value.ScoreSum / b.Value.Count, b.Key, contract.Threshold))
            .ToArray();
        return PerformanceEstimator.Estimate(
            scores,
            [.. bins.Select(b => b.Value.Count)],
            [.. bins.Select(b => b.Value.ProbabilitySum)],
            [.. bins.Select(b => b.Value.ProbabilitySquares)],
            contract.Threshold,
            contract.Confidence,
            draws,
            seed,
            recalibrated
        );
    }

    private int SegmentIndex(string name)
    {
        for (var i = 0; i < SegmentColumns.Count; i++)
        {
            if (SegmentColumns[i] == name)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"no segment column '{name}' in the summary");
    }

    /// <summary>A cell's mean score, on its bin's side of the threshold (a rounded mean must not cross it) and in [0, 1].</summary>
    private static double Representative(double mean, int bin, double threshold) =>
        Math.Clamp(bin >= 0 ? Math.Max(mean, threshold) : Math.Min(mean, Math.BitDecrement(threshold)), 0, 1);

    /// <summary>Writes the summary compactly (a closed window's is stored beside its report).</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(FormatVersion);
            w.Write(Start.UtcTicks);
            w.Write(End.UtcTicks);
            w.Write(Windows);
            w.Write(Predictions);
            w.Write(Labelled);
            w.Write(CostSum);
            w.Write(CostCount);
            Latency.Write(w);
            w.Write(DriftedWindows);
            w.Write(DriftTestedWindows);
            w.Write(DriftedColumns.Count);
            foreach (var (column, windows) in DriftedColumns)
            {
                w.Write(column);
                w.Write(windows);
            }
            w.Write(SegmentColumns.Count);
            foreach (var column in SegmentColumns)
            {
                w.Write(column);
            }
            w.Write(Cells.Count);
            foreach (var ((bin, flags, segments), (count, sum)) in Cells)
            {
                w.Write(bin);
                w.Write(flags);
                w.Write(segments);
                w.Write(count);
                w.Write(sum);
            }
            w.Write(Scores.Count);
            foreach (var (bin, (count, sum, probabilities, squares)) in Scores)
            {
                w.Write(bin);
                w.Write(count);
                w.Write(sum);
                w.Write(probabilities);
                w.Write(squares);
            }
            var leftOut = LeftOut.ToList() ?? [];
            w.Write(leftOut.Count);
            foreach (var item in leftOut)
            {
                w.Write(item.Reason);
                w.Write(item.Count);
            }
            w.Write(_selectionsIncomplete);
            w.Write(_selections is not null);
            _selections?.Write(w);
        }
        return stream.ToArray();
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote, in this format version or an earlier one; null when written by another.</summary>
    public static WindowSummary? FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var r = new BinaryReader(new MemoryStream(bytes));
        var version = r.ReadInt32();
        if (version is not (1 or 2 or FormatVersion))
        {
            return null;
        }
        var summary = new WindowSummary
        {
            Start = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero),
            End = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero),
        };
        summary.Windows = r.ReadInt32();
        summary.Predictions = r.ReadInt64();
        summary.Labelled = r.ReadInt64();
        summary.CostSum = r.ReadDouble();
        summary.CostCount = r.ReadInt64();
        summary.Latency = QuantileSketch.Read(r);
        summary.DriftedWindows = r.ReadInt32();
        summary.DriftTestedWindows = r.ReadInt32();
        for (var i = r.ReadInt32(); i > 0; i--)
        {
            summary.DriftedColumns[r.ReadString()] = r.ReadInt32();
        }
        var segmentColumns = new string[r.ReadInt32()];
        for (var i = 0; i < segmentColumns.Length; i++)
        {
            segmentColumns[i] = r.ReadString();
        }
        summary.SegmentColumns = segmentColumns;
        for (var i = r.ReadInt32(); i > 0; i--)
        {
            summary.Cells[(r.ReadInt32(), r.ReadByte(), r.ReadString())] = (r.ReadInt64(), r.ReadDouble());
        }
        for (var i = r.ReadInt32(); i > 0; i--)
        {
            summary.Scores[r.ReadInt32()] = (r.ReadInt64(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        }
        for (var i = version == 1 ? 0 : r.ReadInt32(); i > 0; i--)
        {
            summary.LeftOut.Add(r.ReadString(), r.ReadInt64());
        }
        if (version >= 3)
        {
            summary._selectionsIncomplete = r.ReadBoolean();
            summary._selections = r.ReadBoolean() ? Fairness.SelectionCells.Read(r) : null;
        }
        else
        {
            summary._selectionsIncomplete = summary.Predictions > 0;
        }
        return summary;
    }
}
