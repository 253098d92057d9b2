namespace Overlap.Core.Metrics;

/// <summary>
/// Evaluates a scored binary data set: every metric with its interval, overall and per segment value,
/// the reliability table, the threshold sweep and the cost-optimal threshold.
/// </summary>
/// <remarks>
/// Point metrics match scikit-learn 1.2: <c>roc_auc_score</c> (NaN when a class is missing),
/// <c>average_precision_score</c> (NaN without positives, where sklearn warns and returns 0),
/// <c>brier_score_loss</c>, <c>log_loss</c> (scores clipped to [eps, 1 − eps], computed even when a
/// segment has one class, as with <c>labels=[0, 1]</c>). Precision, recall, the rates and F1 are NaN when
/// their denominator is zero (sklearn warns and returns 0). Proportions get Wilson intervals; F1, ROC AUC,
/// PR AUC, Brier, log loss and ECE get percentile bootstrap intervals, computed in one weighted pass per
/// resample over the presorted scores for every group at once.
/// </remarks>
internal static class BinaryEvaluator
{
    /// <summary>Evaluates <paramref name="sample"/>.</summary>
    /// <param name="sample">The scored, labelled examples.</param>
    /// <param name="options">Threshold, confidence, bootstrap and costs; defaults when null.</param>
    public static BinaryResult Evaluate(BinarySample sample, BinaryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options ??= new BinaryOptions();
        options.Validate();
        var data = SortedBinaryData.Create(
            sample.Scores.Span,
            sample.Labels.Span,
            sample.Predictions.Span,
            options.Threshold,
            sample.Segments,
            sample.Frequencies.Span
        );
        var state = PointState(data);
        var resamples = data.Total > 0 ? options.Resamples : 0;
        var replicates =
            resamples > 0 ? BinaryBootstrap.Run(data, resamples, options.Seed, options.MaxDegreeOfParallelism) : [];

        GroupMetrics Group(int accumulator, string? value) =>
            Build(
                state.AsSpan(accumulator * WeightedPass.Stride, WeightedPass.Stride),
                value,
                options.Confidence,
                replicates.AsSpan(
                    accumulator * BinaryBootstrap.MetricCount * resamples,
                    BinaryBootstrap.MetricCount * resamples
                ),
                resamples
            );

        var overall = Group(0, null);
        var segments = SegmentColumns.Build(sample.Segments, data.Offsets, Group, (name, values) =>
            new SegmentMetrics(name, values)
        );

        return new BinaryResult
        {
            N = data.Total,
            Options = options,
            Overall = overall,
            Segments = segments,
            Calibration = Calibration.Compute(
                sample.Scores.Span,
                sample.Labels.Span,
                options.Confidence,
                sample.Frequencies.Span
            ),
            Thresholds = ThresholdAnalysis.Analyze(data, overall.Confusion, options),
        };
    }

    /// <summary>The pass with every row at its own weight (1, or its frequency): the point estimates of every group.</summary>
    internal static double[] PointState(SortedBinaryData data)
    {
        var state = new double[data.AccumulatorCount * WeightedPass.Stride];
        WeightedPass.Run(data, data.Weights, state, new int[data.AccumulatorCount]);
        return state;
    }

    private static GroupMetrics Build(
        ReadOnlySpan<double> a,
        string? value,
        double confidence,
        Span<double> replicates,
        int resamples
    )
    {
        var c = WeightedPass.Confusion(a);
        var n = c.Total;
        var metrics = new Dictionary<string, MetricEstimate>(StringComparer.Ordinal);
        foreach (var name in Confusion.Rates)
        {
            var (successes, trials) = c.Rate(name)!.Value;
            metrics[name] = MetricIntervals.Proportion(successes, trials, confidence);
        }
        Span<double> points = stackalloc double[BinaryBootstrap.MetricCount];
        BinaryBootstrap.Extract(a, points);
        for (var m = 0; m < BinaryBootstrap.MetricCount; m++)
        {
            metrics[BinaryMetricNames.Bootstrapped[m]] = MetricIntervals.Bootstrapped(
                points[m],
                replicates.Slice(m * resamples, resamples),
                confidence,
                n
            );
        }
        return new GroupMetrics
        {
            Value = value,
            N = n,
            Confusion = c,
            Metrics = metrics,
        };
    }
}
