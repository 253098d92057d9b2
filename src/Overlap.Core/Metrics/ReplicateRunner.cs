using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>Computes every group's bootstrapped metrics from one replicate's draw counts into <c>metrics</c> ([accumulator · metricCount + metric]).</summary>
internal delegate void ReplicateKernel(ReadOnlySpan<int> counts, Span<double> metrics);

/// <summary>Fills one replicate's draw count per row from (seed, replicate) alone.</summary>
internal delegate void ReplicateFill(Span<int> counts, ulong seed, int replicate);

/// <summary>
/// Runs the percentile bootstrap replicates of an engine on worker threads. Replicate r draws its counts from
/// (seed, r) alone and writes only its own slots, so the result does not depend on how many threads ran.
/// </summary>
internal static class ReplicateRunner
{
    /// <summary>
    /// The replicate values, laid out as [(accumulator · metricCount + metric) · resamples + replicate].
    /// <paramref name="createKernel"/> is called once per worker, so a kernel may own its scratch buffers.
    /// <paramref name="fill"/> draws each replicate's counts; by default n draws with replacement over the n rows.
    /// </summary>
    public static double[] Run(
        int length,
        int accumulators,
        int metricCount,
        int resamples,
        ulong seed,
        int maxDegreeOfParallelism,
        Func<ReplicateKernel> createKernel,
        ReplicateFill? fill = null
    )
    {
        fill ??= Bootstrap.FillCounts;
        var values = new double[accumulators * metricCount * resamples];
        var next = -1;
        RunWorkers(maxDegreeOfParallelism, resamples, () =>
        {
            // One set of buffers per worker; nothing is allocated per replicate or per row.
            var counts = new int[length];
            var metrics = new double[accumulators * metricCount];
            var kernel = createKernel();
            int r;
            while ((r = Interlocked.Increment(ref next)) < resamples)
            {
                fill(counts, seed, r);
                kernel(counts, metrics);
                for (var slot = 0; slot < metrics.Length; slot++)
                {
                    values[(slot * resamples) + r] = metrics[slot];
                }
            }
        });
        return values;
    }

    /// <summary>Runs <paramref name="worker"/> on as many threads as allowed and useful; each pulls replicates until none are left.</summary>
    public static void RunWorkers(int maxDegreeOfParallelism, int resamples, Action worker)
    {
        var workers = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        workers = Math.Max(1, Math.Min(workers, resamples));
        if (workers == 1)
        {
            worker();
            return;
        }
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => worker());
    }
}
