using Overlap.Core.Contracts;
using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>
/// The percentile bootstrap of the non-proportion metrics, for the overall group and every segment value in
/// the same pass. Replicate r draws its counts over the examples in score order from (seed, r) alone and
/// writes only its own slots, so the result does not depend on how many threads ran.
/// </summary>
internal static class BinaryBootstrap
{
    /// <summary>Each bootstrapped metric's reader, in <see cref="BinaryMetricNames.Bootstrapped"/> order: its slot.</summary>
    private static readonly PassReader[] Slots =
    [
        .. BinaryMetricNames.Bootstrapped.Select(n => MetricCatalog.Find(n)!.Pass!),
    ];

    /// <summary>How many metrics <see cref="BinaryMetricNames.Bootstrapped"/> holds.</summary>
    public static int MetricCount => Slots.Length;

    /// <summary>
    /// The replicate values, laid out as [(accumulator · MetricCount + metric) · resamples + replicate].
    /// </summary>
    public static double[] Run(SortedBinaryData data, int resamples, ulong seed, int maxDegreeOfParallelism)
    {
        var accumulators = data.AccumulatorCount;
        // Rows standing for several examples are resampled by the Poisson bootstrap: each row's count is drawn from
        // Poisson(frequency), as many multinomial draws over the examples behind it would give.
        ReplicateFill? fill = data.Weighted ? new PoissonDraw(data.Weights).Fill : null;
        return ReplicateRunner.Run(
            data.Length,
            accumulators,
            MetricCount,
            resamples,
            seed,
            maxDegreeOfParallelism,
            () =>
            {
                var state = new double[accumulators * WeightedPass.Stride];
                var lastGroup = new int[accumulators];
                return (counts, metrics) =>
                {
                    WeightedPass.Run(data, counts, state, lastGroup);
                    for (var j = 0; j < accumulators; j++)
                    {
                        Extract(
                            state.AsSpan(j * WeightedPass.Stride, WeightedPass.Stride),
                            metrics.Slice(j * MetricCount, MetricCount)
                        );
                    }
                };
            },
            fill
        );
    }

    /// <summary>The bootstrapped metrics of one accumulator, in <see cref="BinaryMetricNames.Bootstrapped"/> order.</summary>
    public static void Extract(ReadOnlySpan<double> a, Span<double> into)
    {
        for (var m = 0; m < Slots.Length; m++)
        {
            into[m] = Slots[m](a);
        }
    }
}
