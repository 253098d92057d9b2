namespace Overlap.Core.Metrics;

/// <summary>
/// Evaluates a multiclass data set: accuracy, the macro and weighted averages and every class's precision,
/// recall and F1 with their intervals, and the confusion matrix, overall and per segment value.
/// </summary>
/// <remarks>
/// <para>
/// Averages match scikit-learn 1.2's <c>f1_score</c>, <c>precision_score</c> and <c>recall_score</c> with
/// <c>average="macro"</c> or <c>"weighted"</c>, <c>labels=range(k)</c> and <c>zero_division=0</c>, in every
/// group: all k classes count, so a class absent from a segment value and never predicted there adds 0 to
/// that value's macro means, exactly as sklearn does when given the labels. The per-class precision, recall
/// and F1 are NaN when undefined (nothing predicted as the class, no example of it, neither), as the binary
/// engine reports them, where sklearn returns 0.
/// </para>
/// <para>
/// Accuracy and the per-class precision and recall get Wilson intervals; the averages and the per-class F1
/// get percentile bootstrap intervals from one weighted scan per resample that counts, for every group at
/// once, each class's support, predictions and hits. Memory: the per-class counts per worker, plus
/// groups × (4 + k) × resamples replicate values; the confusion matrices take groups × k² counts.
/// </para>
/// </remarks>
internal static class MulticlassEvaluator
{
    /// <summary>Evaluates <paramref name="sample"/>.</summary>
    /// <param name="sample">The labelled predictions.</param>
    /// <param name="options">Confidence and bootstrap; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static MulticlassResult Evaluate(MulticlassSample sample, MulticlassOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options ??= new MulticlassOptions();
        options.Validate();
        var data = MulticlassData.Create(sample);
        var k = data.ClassCount;
        var metricCount = data.MetricCount;
        var ones = new int[data.Length];
        ones.AsSpan().Fill(1);
        var state = new int[data.AccumulatorCount * data.Stride];
        data.Run(ones, state);
        var matrices = data.ConfusionMatrices();
        var resamples = data.Length > 0 ? options.Resamples : 0;
        var replicates =
            resamples > 0
                ? ReplicateRunner.Run(
                    data.Length,
                    data.AccumulatorCount,
                    metricCount,
                    resamples,
                    options.Seed,
                    options.MaxDegreeOfParallelism,
                    () => Kernel(data)
                )
                : [];

        MulticlassGroupMetrics Group(int accumulator, string? value) =>
            Build(
                state.AsSpan(accumulator * data.Stride, data.Stride),
                new ConfusionMatrix(k, matrices[accumulator]),
                value,
                sample.Classes,
                options.Confidence,
                replicates.AsSpan(accumulator * metricCount * resamples, metricCount * resamples),
                resamples
            );

        return new MulticlassResult
        {
            N = data.Length,
            Options = options,
            Classes = sample.Classes,
            Overall = Group(0, null),
            Segments = SegmentColumns.Build(data.Sample.Segments, data.Offsets, Group, (name, values) =>
                new MulticlassSegmentMetrics(name, values)
            ),
        };
    }

    /// <summary>The bootstrapped values of replicate <paramref name="replicate"/>, [accumulator · MetricCount + metric], for tests.</summary>
    internal static double[] Replicate(MulticlassSample sample, ulong seed, int replicate)
    {
        var data = MulticlassData.Create(sample);
        var counts = new int[data.Length];
        Statistics.Bootstrap.FillCounts(counts, seed, replicate);
        var metrics = new double[data.AccumulatorCount * data.MetricCount];
        Kernel(data)(counts, metrics);
        return metrics;
    }

    private static ReplicateKernel Kernel(MulticlassData data)
    {
        var state = new int[data.AccumulatorCount * data.Stride];
        return (counts, metrics) =>
        {
            data.Run(counts, state);
            for (var j = 0; j < data.AccumulatorCount; j++)
            {
                MulticlassData.Extract(
                    state.AsSpan(j * data.Stride, data.Stride),
                    data.ClassCount,
                    metrics.Slice(j * data.MetricCount, data.MetricCount)
                );
            }
        };
    }

    private static MulticlassGroupMetrics Build(
        ReadOnlySpan<int> a,
        ConfusionMatrix confusion,
        string? value,
        IReadOnlyList<string> classNames,
        double confidence,
        Span<double> replicates,
        int resamples
    )
    {
        var k = classNames.Count;
        var n = confusion.Total;
        var points = new double[MulticlassMetricNames.Averages.Count + k];
        MulticlassData.Extract(a, k, points);

        var metrics = new Dictionary<string, MetricEstimate>(StringComparer.Ordinal)
        {
            [MulticlassMetricNames.Accuracy] = MetricIntervals.Proportion(confusion.Correct, n, confidence),
        };
        for (var m = 0; m < MulticlassMetricNames.Averages.Count; m++)
        {
            metrics[MulticlassMetricNames.Averages[m]] = MetricIntervals.Bootstrapped(
                points[m],
                replicates.Slice(m * resamples, resamples),
                confidence,
                n
            );
        }

        var classes = new ClassMetrics[k];
        for (var c = 0; c < k; c++)
        {
            var support = a[(c * MulticlassData.CountsPerClass) + MulticlassData.Support];
            var predicted = a[(c * MulticlassData.CountsPerClass) + MulticlassData.Predicted];
            var hits = a[(c * MulticlassData.CountsPerClass) + MulticlassData.Hits];
            var m = MulticlassMetricNames.Averages.Count + c;
            classes[c] = new ClassMetrics(
                classNames[c],
                support,
                predicted,
                new Dictionary<string, MetricEstimate>(StringComparer.Ordinal)
                {
                    [MulticlassMetricNames.Precision] = MetricIntervals.Proportion(hits, predicted, confidence),
                    [MulticlassMetricNames.Recall] = MetricIntervals.Proportion(hits, support, confidence),
                    [MulticlassMetricNames.F1] = MetricIntervals.Bootstrapped(
                        points[m],
                        replicates.Slice(m * resamples, resamples),
                        confidence,
                        n
                    ),
                }
            );
        }
        return new MulticlassGroupMetrics
        {
            Value = value,
            N = n,
            Confusion = confusion,
            Metrics = metrics,
            Classes = classes,
        };
    }
}
