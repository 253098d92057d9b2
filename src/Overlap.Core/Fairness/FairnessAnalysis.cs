using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;
using Overlap.Core.Statistics;

namespace Overlap.Core.Fairness;

/// <summary>
/// Compares a binary model's decisions between the groups of the contract's sensitive attributes, with Fairlearn's
/// definitions: per group the selection rate, the true- and false-positive rates and the expected calibration error;
/// between groups the ratio (lowest ÷ highest) or the difference (highest − lowest) of a rate, and equalized odds as
/// the larger of the true- and false-positive rate differences. A group whose rate is undefined (no positives for the
/// true-positive rate) is left out of that rate's comparison; with fewer than two groups left, the measure is undefined.
/// </summary>
/// <remarks>
/// The groupings are segment columns of one <see cref="SortedBinaryData"/>, so the point figures are one
/// <see cref="WeightedPass"/> and each percentile bootstrap replicate another (the same multinomial draw counts from
/// (seed, replicate) as every other bootstrapped metric; Poisson counts for rows with frequencies). Every measure of every
/// grouping is computed from the same replicate, so the measures of a run are consistent with each other. Production's
/// selection cells are resampled beside the labelled rows in each replicate, each cell Poisson(its size) times.
/// </remarks>
internal static class FairnessAnalysis
{
    private static readonly IReadOnlyList<FairnessMeasure> Measures = FairnessMeasure.All;

    /// <summary>Mixed into the seed of the selection cells' Poisson draws, so they are not the labelled rows' draws again.</summary>
    private const ulong SelectionStream = 0xD1B54A32D192ED03UL;

    /// <summary>
    /// The fairness report of <paramref name="sample"/>'s examples, grouped by <paramref name="attributes"/> (one column
    /// per attribute, −1 where missing). With <paramref name="selections"/> (production: every prediction's decision by
    /// its attributes) each group's selection rate is taken over those, the other rates over the labelled examples; a
    /// group with predictions but no labelled example has a selection rate alone.
    /// </summary>
    public static FairnessReport Run(
        Contract contract,
        BinarySample sample,
        IReadOnlyDictionary<string, SegmentColumn> attributes,
        BinaryOptions options,
        bool hasScore,
        SelectionCells? selections = null
    )
    {
        var policy = contract.Fairness!;
        var groupings = policy.Groupings();
        var cells = selections?.Cells() ?? [];
        var n = sample.Count;
        // With selection cells, each attribute is coded over the labelled rows followed by the cells, so both share one
        // list of groups; the labelled part goes to the pass, the cells' part to the selection counts.
        var coded = selections is null
            ? attributes
            : attributes.ToDictionary(
                a => a.Key,
                a => Joint(a.Value, cells, IndexOf(selections.Attributes, a.Key)),
                StringComparer.Ordinal
            );
        var combined = groupings.Select(g => Combine(g, coded)).ToList();
        var columns = combined.Select(c => c with { Codes = c.Codes[..n] }).ToList();
        var cellGroups = combined.Select(c => c.Codes[n..]).ToList();
        var grouped = new BinarySample(sample.Scores, sample.Labels, sample.Predictions, columns, sample.Frequencies);
        var data = SortedBinaryData.Create(
            grouped.Scores.Span,
            grouped.Labels.Span,
            grouped.Predictions.Span,
            options.Threshold,
            grouped.Segments,
            grouped.Frequencies.Span
        );
        var point = BinaryEvaluator.PointState(data);
        var selected = selections is null ? null : new Selection(cells, cellGroups, columns);
        // A cell is resampled as Poisson(its size), so its size fits the draws' int counts.
        selected?.Count(cells.Select(c => checked((int)c.Count)).ToArray());
        // Production's selection cells can be judged without a label; the labelled rows need two to resample.
        var resamples = data.Total > 1 || selections?.Total > 1 ? options.Resamples : 0;
        var replicates = resamples > 0 ? Replicates(data, columns, cells, cellGroups, resamples, options) : [];

        var result = new List<FairnessGrouping>();
        for (var g = 0; g < groupings.Count; g++)
        {
            var state = new GroupingState(
                point,
                data.Offsets[g],
                columns[g].Values.Count,
                selected is null ? default : selected.Of(g)
            );
            var groups = new List<(int Code, FairnessGroup Group)>();
            for (var k = 0; k < state.Count; k++)
            {
                var a = state.Accumulator(k);
                var c = WeightedPass.Confusion(a);
                var (predictions, flagged) = selected is null
                    ? (c.Total, c.PredictedPositives)
                    : ((long)state.Predictions(k), (long)state.Flagged(k));
                if (c.Total == 0 && predictions == 0)
                {
                    continue;
                }
                groups.Add(
                    (
                        k,
                        new FairnessGroup
                        {
                            Value = columns[g].Values[k],
                            N = c.Total,
                            Positives = c.Positives,
                            Negatives = c.Negatives,
                            SelectionRate = Value(MetricIntervals.Proportion(flagged, predictions, options.Confidence)),
                            TruePositiveRate = Value(MetricIntervals.Proportion(c.Tp, c.Positives, options.Confidence)),
                            FalsePositiveRate = Value(
                                MetricIntervals.Proportion(c.Fp, c.Negatives, options.Confidence)
                            ),
                            CalibrationError = hasScore && c.Total > 0 ? WeightedPass.Ece(a) : null,
                        }
                    )
                );
            }
            var missing = data.Total - groups.Sum(x => x.Group.N);
            var measures = new List<FairnessResult>();
            for (var m = 0; m < Measures.Count; m++)
            {
                var measure = Measures[m];
                if (measure.NeedsScore && !hasScore)
                {
                    continue;
                }
                var value = Measure(state, measure, out var low, out var high, out var rate);
                var interval =
                    resamples > 0 && !double.IsNaN(value)
                        ? Bootstrap.Percentile(
                            replicates.AsSpan(((g * Measures.Count) + m) * resamples, resamples),
                            options.Confidence
                        )
                        : Interval.Unknown;
                var requirement = policy.Requirements.FirstOrDefault(r =>
                    r.Metric == measure.Name && r.By.SequenceEqual(groupings[g], StringComparer.Ordinal)
                );
                var figure = new MeasureFigure(
                    measure,
                    groupings[g],
                    value,
                    interval,
                    low < 0 ? null : groups.First(x => x.Code == low).Group,
                    high < 0 ? null : groups.First(x => x.Code == high).Group,
                    rate,
                    [.. groups.Select(x => x.Group)]
                );
                measures.Add(FairnessJudge.Judge(figure, requirement, policy.MinGroupSize, contract.Words));
            }
            result.Add(
                new FairnessGrouping
                {
                    By = FairnessPolicy.Name(groupings[g]),
                    Attributes = groupings[g],
                    Groups = [.. groups.Select(x => x.Group)],
                    Missing = missing,
                    Measures = measures,
                }
            );
        }
        return new FairnessReport { MinGroupSize = policy.MinGroupSize, Groupings = result };
    }

    private static MetricValue Value(MetricEstimate m) => new(m.Value, m.Interval.Low, m.Interval.High, m.N);

    /// <summary>Every measure of every grouping per replicate, laid out as [(grouping · measures + measure) · resamples + replicate].</summary>
    private static double[] Replicates(
        SortedBinaryData data,
        IReadOnlyList<SegmentColumn> columns,
        IReadOnlyList<(string?[] Values, bool Flagged, long Count)> cells,
        IReadOnlyList<ReadOnlyMemory<int>> cellGroups,
        int resamples,
        BinaryOptions options
    )
    {
        ReplicateFill? fill = data.Weighted ? new PoissonDraw(data.Weights).Fill : null;
        if (cells.Count > 0)
        {
            // The labelled rows are drawn as without cells; each cell of c predictions is resampled Poisson(c) times.
            var rows = fill ?? Bootstrap.FillCounts;
            var draw = new PoissonDraw([.. cells.Select(c => checked((int)c.Count))]);
            fill = (counts, seed, replicate) =>
            {
                rows(counts[..data.Length], seed, replicate);
                draw.Fill(counts[data.Length..], seed ^ SelectionStream, replicate);
            };
        }
        return ReplicateRunner.Run(
            data.Length + cells.Count,
            columns.Count,
            Measures.Count,
            resamples,
            options.Seed,
            options.MaxDegreeOfParallelism,
            () =>
            {
                var state = new double[data.AccumulatorCount * WeightedPass.Stride];
                var lastGroup = new int[data.AccumulatorCount];
                var selected = cells.Count == 0 ? null : new Selection(cells, cellGroups, columns);
                return (counts, metrics) =>
                {
                    WeightedPass.Run(data, counts[..data.Length], state, lastGroup);
                    selected?.Count(counts[data.Length..]);
                    for (var g = 0; g < columns.Count; g++)
                    {
                        var grouping = new GroupingState(
                            state,
                            data.Offsets[g],
                            columns[g].Values.Count,
                            selected is null ? default : selected.Of(g)
                        );
                        for (var m = 0; m < Measures.Count; m++)
                        {
                            metrics[(g * Measures.Count) + m] = Measure(grouping, Measures[m], out _, out _, out _);
                        }
                    }
                };
            },
            fill
        );
    }

    /// <summary>
    /// The measure over the groups of one grouping, with the codes of the groups at the lowest and highest rate (−1 when
    /// undefined) and the rate they are of (for equalized odds, the one whose difference is larger).
    /// </summary>
    private static double Measure(
        GroupingState state,
        FairnessMeasure measure,
        out int low,
        out int high,
        out GroupRate rate
    )
    {
        rate = measure.Rates[0];
        var value = Spread(state, rate, measure.IsRatio, out low, out high);
        for (var i = 1; i < measure.Rates.Count; i++)
        {
            var other = Spread(state, measure.Rates[i], measure.IsRatio, out var otherLow, out var otherHigh);
            if (double.IsNaN(value) || double.IsNaN(other))
            {
                (value, low, high) = (double.NaN, -1, -1);
                return value;
            }
            if (other > value)
            {
                (value, low, high, rate) = (other, otherLow, otherHigh, measure.Rates[i]);
            }
        }
        return value;
    }

    /// <summary>Lowest ÷ highest (ratio) or highest − lowest of a rate over the groups where it is defined; NaN with fewer than two.</summary>
    private static double Spread(GroupingState state, GroupRate rate, bool ratio, out int low, out int high)
    {
        (low, high) = (-1, -1);
        var (min, max, defined) = (double.PositiveInfinity, double.NegativeInfinity, 0);
        for (var k = 0; k < state.Count; k++)
        {
            var r = state.Rate(k, rate);
            if (double.IsNaN(r))
            {
                continue;
            }
            defined++;
            if (r < min)
            {
                (min, low) = (r, k);
            }
            if (r > max)
            {
                (max, high) = (r, k);
            }
        }
        if (defined < 2)
        {
            (low, high) = (-1, -1);
            return double.NaN;
        }
        return ratio ? WeightedPass.Ratio(min, max) : max - min;
    }

    /// <summary>One group's rate from its accumulator; NaN when the group has nothing to measure it on.</summary>
    internal static double Rate(ReadOnlySpan<double> a, GroupRate rate) =>
        rate switch
        {
            GroupRate.SelectionRate => WeightedPass.Ratio(
                a[WeightedPass.Tp] + a[WeightedPass.Fp],
                WeightedPass.Total(a)
            ),
            GroupRate.TruePositiveRate => WeightedPass.Recall(a),
            GroupRate.FalsePositiveRate => WeightedPass.FalsePositiveRate(a),
            _ => WeightedPass.Ece(a),
        };

    /// <summary>The grouping's codes: an attribute's own, or one code per combination present for an intersection (−1 when any part is missing).</summary>
    private static SegmentColumn Combine(
        IReadOnlyList<string> attributes,
        IReadOnlyDictionary<string, SegmentColumn> columns
    )
    {
        if (attributes.Count == 1)
        {
            return columns[attributes[0]];
        }
        var parts = attributes.Select(a => columns[a]).ToList();
        var n = parts[0].Codes.Length;
        var keys = new long[n];
        var present = new SortedDictionary<long, int>();
        for (var i = 0; i < n; i++)
        {
            long key = 0;
            foreach (var p in parts)
            {
                var code = p.Codes.Span[i];
                if (code < 0)
                {
                    key = -1;
                    break;
                }
                key = (key * p.Values.Count) + code;
            }
            keys[i] = key;
            if (key >= 0)
            {
                present[key] = 0;
            }
        }
        var values = new List<string>();
        foreach (var key in present.Keys.ToList())
        {
            present[key] = values.Count;
            var names = new string[parts.Count];
            var rest = key;
            for (var p = parts.Count - 1; p >= 0; p--)
            {
                names[p] = parts[p].Values[(int)(rest % parts[p].Values.Count)];
                rest /= parts[p].Values.Count;
            }
            values.Add(string.Join(" & ", names));
        }
        var codes = keys.Select(k => k < 0 ? -1 : present[k]).ToArray();
        return new SegmentColumn(FairnessPolicy.Name(attributes), codes, values);
    }

    /// <summary>
    /// Attribute <paramref name="index"/> of the selection cells coded together with the labelled rows' column: codes for
    /// the labelled rows, then one per cell, into the values of both (sorted).
    /// </summary>
    private static SegmentColumn Joint(
        SegmentColumn labelled,
        IReadOnlyList<(string?[] Values, bool Flagged, long Count)> cells,
        int index
    )
    {
        var values = labelled
            .Values.Concat(cells.Select(c => c.Values[index]).OfType<string>())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < values.Count; k++)
        {
            position[values[k]] = k;
        }
        var n = labelled.Codes.Length;
        var codes = new int[n + cells.Count];
        var own = labelled.Codes.Span;
        for (var i = 0; i < n; i++)
        {
            codes[i] = own[i] < 0 ? -1 : position[labelled.Values[own[i]]];
        }
        for (var j = 0; j < cells.Count; j++)
        {
            codes[n + j] = cells[j].Values[index] is { } value ? position[value] : -1;
        }
        return new SegmentColumn(labelled.Name, codes, values);
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }
        throw new ArgumentException($"the selection cells do not count the sensitive attribute '{item}'", nameof(item));
    }

    /// <summary>Per grouping and group, how many predictions the selection cells put there and how many of them were flagged.</summary>
    private sealed class Selection(
        IReadOnlyList<(string?[] Values, bool Flagged, long Count)> cells,
        IReadOnlyList<ReadOnlyMemory<int>> cellGroups,
        IReadOnlyList<SegmentColumn> columns
    )
    {
        private readonly double[][] _counts = [.. columns.Select(c => new double[c.Values.Count * 2])];

        /// <summary>Fills the counts from <paramref name="weights"/>: how many times each cell counts (its size, or a replicate's draw).</summary>
        public void Count(ReadOnlySpan<int> weights)
        {
            for (var g = 0; g < _counts.Length; g++)
            {
                var into = _counts[g];
                Array.Clear(into);
                var codes = cellGroups[g].Span;
                for (var j = 0; j < cells.Count; j++)
                {
                    if (codes[j] >= 0)
                    {
                        into[codes[j] * 2] += weights[j];
                        into[(codes[j] * 2) + 1] += cells[j].Flagged ? weights[j] : 0;
                    }
                }
            }
        }

        /// <summary>Grouping <paramref name="g"/>'s counts: (predictions, flagged) per group.</summary>
        public ReadOnlySpan<double> Of(int g) => _counts[g];
    }

    /// <summary>
    /// The accumulators of one grouping's groups within a pass's state, and (production) each group's predictions and
    /// flagged predictions from the selection cells, which then give its selection rate.
    /// </summary>
    private readonly ref struct GroupingState(
        ReadOnlySpan<double> state,
        int offset,
        int count,
        ReadOnlySpan<double> selection
    )
    {
        private readonly ReadOnlySpan<double> _state = state;
        private readonly ReadOnlySpan<double> _selection = selection;

        public int Count { get; } = count;

        public ReadOnlySpan<double> Accumulator(int k) =>
            _state.Slice((offset + k) * WeightedPass.Stride, WeightedPass.Stride);

        public double Predictions(int k) => _selection[k * 2];

        public double Flagged(int k) => _selection[(k * 2) + 1];

        /// <summary>Group <paramref name="k"/>'s rate; NaN when it has nothing to measure it on.</summary>
        public double Rate(int k, GroupRate rate) =>
            rate == GroupRate.SelectionRate && !_selection.IsEmpty
                ? WeightedPass.Ratio(Flagged(k), Predictions(k))
                : FairnessAnalysis.Rate(Accumulator(k), rate);
    }
}
