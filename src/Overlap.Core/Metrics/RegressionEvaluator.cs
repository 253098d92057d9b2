namespace Overlap.Core.Metrics;

/// <summary>
/// Evaluates a regression data set: MAE, RMSE, R², MAPE and median absolute error with percentile bootstrap
/// intervals, overall and per segment value.
/// </summary>
/// <remarks>
/// <para>
/// Point metrics match scikit-learn 1.2: <c>mean_absolute_error</c>, <c>mean_squared_error</c> with
/// <c>squared=False</c>, <c>r2_score</c> (NaN below two examples; for a constant target 1.0 when every
/// prediction is exact and 0.0 otherwise), <c>mean_absolute_percentage_error</c> (|y − ŷ| / max(|y|, eps),
/// eps the float64 machine epsilon, a fraction, so a zero target with a wrong prediction weighs about
/// 4.5e15 times its error) and <c>median_absolute_error</c> (the mean of the two middle values for an even
/// count). A group is constant when all its targets are bitwise equal; its spread is then exactly 0, where
/// sklearn's two-pass mean can leave a rounding residue (targets like 0.1) and give a meaningless R².
/// </para>
/// <para>
/// Every interval is a percentile bootstrap. The rows are sorted by absolute error once; a replicate is one
/// weighted scan for the sums of every group at once, then a walk from the smallest error that stops when
/// every group has passed the middle of its weight, so the median costs at most a second scan and no sort.
/// Memory: the sorted columns (five values per row), the counts per worker and groups × 5 × resamples
/// replicate values.
/// </para>
/// </remarks>
internal static class RegressionEvaluator
{
    /// <summary>Evaluates <paramref name="sample"/>.</summary>
    /// <param name="sample">The targets and predictions.</param>
    /// <param name="options">Confidence and bootstrap; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static RegressionResult Evaluate(RegressionSample sample, RegressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options ??= new RegressionOptions();
        options.Validate();
        var data = SortedRegressionData.Create(sample);
        var metricCount = RegressionMetricNames.All.Count;
        var ones = new int[data.Length];
        ones.AsSpan().Fill(1);
        var state = new double[data.AccumulatorCount * SortedRegressionData.Stride];
        data.Run(ones, state);
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

        RegressionGroupMetrics Group(int accumulator, string? value)
        {
            var a = state.AsSpan(accumulator * SortedRegressionData.Stride, SortedRegressionData.Stride);
            var n = (long)a[SortedRegressionData.Weight];
            Span<double> points = stackalloc double[metricCount];
            SortedRegressionData.Extract(a, points);
            var metrics = new Dictionary<string, MetricEstimate>(StringComparer.Ordinal);
            for (var m = 0; m < metricCount; m++)
            {
                var slice = replicates.AsSpan(((accumulator * metricCount) + m) * resamples, resamples);
                metrics[RegressionMetricNames.All[m]] = MetricIntervals.Bootstrapped(
                    points[m],
                    slice,
                    options.Confidence,
                    n
                );
            }
            return new RegressionGroupMetrics
            {
                Value = value,
                N = n,
                Metrics = metrics,
            };
        }

        return new RegressionResult
        {
            N = data.Length,
            Options = options,
            Overall = Group(0, null),
            Segments = SegmentColumns.Build(sample.Segments, data.Offsets, Group, (name, values) =>
                new RegressionSegmentMetrics(name, values)
            ),
        };
    }

    /// <summary>
    /// For tests: the sorted position → row order (replicate counts index sorted positions) and the values of
    /// replicate <paramref name="replicate"/>, [accumulator · 5 + metric].
    /// </summary>
    internal static (int[] Order, double[] Metrics) Replicate(RegressionSample sample, ulong seed, int replicate)
    {
        var data = SortedRegressionData.Create(sample);
        var counts = new int[data.Length];
        Statistics.Bootstrap.FillCounts(counts, seed, replicate);
        var metrics = new double[data.AccumulatorCount * RegressionMetricNames.All.Count];
        Kernel(data)(counts, metrics);
        return (data.Order, metrics);
    }

    private static ReplicateKernel Kernel(SortedRegressionData data)
    {
        var state = new double[data.AccumulatorCount * SortedRegressionData.Stride];
        var metricCount = RegressionMetricNames.All.Count;
        return (counts, metrics) =>
        {
            data.Run(counts, state);
            for (var j = 0; j < data.AccumulatorCount; j++)
            {
                SortedRegressionData.Extract(
                    state.AsSpan(j * SortedRegressionData.Stride, SortedRegressionData.Stride),
                    metrics.Slice(j * metricCount, metricCount)
                );
            }
        };
    }
}
