namespace Overlap.Core.Metrics;

/// <summary>
/// The columns of a multiclass sample as the weighted pass reads them, with the per-class counts it fills:
/// for every accumulator (overall, then each segment value) and class, the support, the predicted count and
/// the true positives. Rows stay in sample order, so the bootstrap weight of row i is count i.
/// </summary>
internal sealed class MulticlassData
{
    // Per accumulator and class: [Support, Predicted, Hits].
    public const int Support = 0,
        Predicted = 1,
        Hits = 2,
        CountsPerClass = 3;

    private MulticlassData(MulticlassSample sample)
    {
        Sample = sample;
        ClassCount = sample.Classes.Count;
        Codes = new int[sample.Segments.Count][];
        for (var c = 0; c < Codes.Length; c++)
        {
            Codes[c] = sample.Segments[c].Codes.ToArray();
        }
        Offsets = SegmentColumns.Offsets(sample.Segments, out var accumulators);
        AccumulatorCount = accumulators;
    }

    public MulticlassSample Sample { get; }

    public int Length => Sample.Count;

    public int ClassCount { get; }

    /// <summary>Per segment column, the codes of the rows.</summary>
    public int[][] Codes { get; }

    /// <summary>Accumulator index of code 0 of each segment column (accumulator 0 is overall).</summary>
    public int[] Offsets { get; }

    public int AccumulatorCount { get; }

    /// <summary>Counts per accumulator: ClassCount × <see cref="CountsPerClass"/>.</summary>
    public int Stride => ClassCount * CountsPerClass;

    /// <summary>Bootstrapped values per accumulator: the four averages, then the F1 of every class.</summary>
    public int MetricCount => MulticlassMetricNames.Averages.Count + ClassCount;

    public static MulticlassData Create(MulticlassSample sample) => new(sample);

    /// <summary>
    /// Fills <paramref name="state"/> (AccumulatorCount × Stride) from one scan with an integer weight per row;
    /// a weight of w counts the row w times. Weights sum to at most the row count, so ints do not overflow.
    /// </summary>
    public void Run(ReadOnlySpan<int> weights, Span<int> state)
    {
        if (weights.Length != Length)
        {
            throw new ArgumentException("One weight per example is needed.", nameof(weights));
        }
        state.Clear();
        var labels = Sample.Labels.Span;
        var predictions = Sample.Predictions.Span;
        var stride = Stride;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (w == 0)
            {
                continue;
            }
            var truth = labels[i] * CountsPerClass;
            var predicted = (predictions[i] * CountsPerClass) + Predicted;
            var hit = labels[i] == predictions[i] ? w : 0;
            Add(state, truth, predicted, w, hit);
            for (var c = 0; c < Codes.Length; c++)
            {
                var code = Codes[c][i];
                if (code >= 0)
                {
                    Add(state[((Offsets[c] + code) * stride)..], truth, predicted, w, hit);
                }
            }
        }
    }

    /// <summary>
    /// The bootstrapped metrics of one accumulator's counts: macro F1, weighted F1, macro precision, macro
    /// recall, then the F1 of each class. Averages run over all k classes as sklearn's
    /// <c>average="macro"/"weighted"</c> with <c>labels=range(k)</c> and <c>zero_division=0</c>: a class with
    /// nothing predicted has precision 0, one with no examples recall 0, and a class absent and never
    /// predicted adds 0 to every macro mean (and nothing to the weighted one, its support being 0). A class's
    /// own F1 is NaN when it is neither present nor predicted. All NaN when the group is empty.
    /// </summary>
    public static void Extract(ReadOnlySpan<int> a, int classes, Span<double> into)
    {
        long total = 0;
        double f1Sum = 0,
            weightedF1Sum = 0,
            precisionSum = 0,
            recallSum = 0;
        for (var k = 0; k < classes; k++)
        {
            var support = a[(k * CountsPerClass) + Support];
            var predicted = a[(k * CountsPerClass) + Predicted];
            var hits = (double)a[(k * CountsPerClass) + Hits];
            var precision = predicted > 0 ? hits / predicted : 0;
            var recall = support > 0 ? hits / support : 0;
            var f1 = F1(precision, recall);
            total += support;
            f1Sum += f1;
            weightedF1Sum += f1 * support;
            precisionSum += precision;
            recallSum += recall;
            into[MulticlassMetricNames.Averages.Count + k] = support + predicted > 0 ? f1 : double.NaN;
        }
        if (total == 0)
        {
            into.Fill(double.NaN);
            return;
        }
        into[0] = f1Sum / classes;
        into[1] = weightedF1Sum / total;
        into[2] = precisionSum / classes;
        into[3] = recallSum / classes;
    }

    /// <summary>2pr / (p + r), 0 when both are 0: sklearn's F-score with <c>zero_division=0</c>.</summary>
    public static double F1(double precision, double recall)
    {
        var d = precision + recall;
        return d > 0 ? 2 * precision * recall / d : 0;
    }

    /// <summary>The k×k confusion counts of every accumulator (one unweighted scan).</summary>
    public long[][] ConfusionMatrices()
    {
        var k = ClassCount;
        var matrices = new long[AccumulatorCount][];
        for (var j = 0; j < matrices.Length; j++)
        {
            matrices[j] = new long[k * k];
        }
        var labels = Sample.Labels.Span;
        var predictions = Sample.Predictions.Span;
        for (var i = 0; i < labels.Length; i++)
        {
            var cell = (labels[i] * k) + predictions[i];
            matrices[0][cell]++;
            for (var c = 0; c < Codes.Length; c++)
            {
                var code = Codes[c][i];
                if (code >= 0)
                {
                    matrices[Offsets[c] + code][cell]++;
                }
            }
        }
        return matrices;
    }

    private static void Add(Span<int> a, int truth, int predicted, int w, int hit)
    {
        a[truth + Support] += w;
        a[truth + Hits] += hit;
        a[predicted] += w;
    }
}
