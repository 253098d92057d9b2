using Overlap.Core.Contracts;
using Overlap.Core.Planning;
using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>
/// Compares two models scored on the same examples: McNemar's discordant pairs for accuracy, and a paired
/// percentile bootstrap of B − A for the other metrics (each resample applies the same draw counts to both
/// models, so what the models share cancels out).
/// </summary>
internal static class PairedComparison
{
    /// <summary>The metrics compared by the paired bootstrap, in result order.</summary>
    public static IReadOnlyList<string> Metrics { get; } = [.. Compared().Select(m => m.Name)];

    /// <summary>Each compared metric's reader, in <see cref="Metrics"/> order.</summary>
    private static readonly PassReader[] Readers = [.. Compared().Select(m => Reader(m)!)];

    /// <summary>Compares model B with model A.</summary>
    /// <param name="a">Model A's scores (and decisions, if given) with the labels.</param>
    /// <param name="b">Model B's scores (and decisions) with the same labels in the same order.</param>
    /// <param name="options">Threshold (for scores without decisions), confidence and bootstrap; defaults when null.</param>
    /// <param name="metrics">
    /// The metrics to compare: any binary metric the weighted pass reads, or any rate of the decisions (accuracy,
    /// specificity…); <see cref="Metrics"/> when null.
    /// </param>
    /// <exception cref="ArgumentException">The two samples do not have the same labels, or a metric cannot be compared.</exception>
    public static PairedComparisonResult Compare(
        BinarySample a,
        BinarySample b,
        BinaryOptions? options = null,
        IReadOnlyList<string>? metrics = null
    )
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        options ??= new BinaryOptions();
        options.Validate();
        var names = metrics ?? Metrics;
        var readers = metrics is null
            ? Readers
            :
            [
                .. metrics.Select(m =>
                    MetricCatalog.Find(m) is { } info && info.Fits(TaskKind.Binary) && Reader(info) is { } reader
                        ? reader
                        : throw new ArgumentException($"'{m}' cannot be compared pairwise.", nameof(metrics))
                ),
            ];
        if (!a.Labels.Span.SequenceEqual(b.Labels.Span))
        {
            throw new ArgumentException(
                "A paired comparison needs the same labels, in the same order, for both models.",
                nameof(b)
            );
        }
        var dataA = SortedBinaryData.Create(a.Scores.Span, a.Labels.Span, a.Predictions.Span, options.Threshold, []);
        var dataB = SortedBinaryData.Create(b.Scores.Span, b.Labels.Span, b.Predictions.Span, options.Threshold, []);
        var n = dataA.Length;

        // Discordant pairs, by original row.
        var rightA = Decisions(dataA);
        var rightB = Decisions(dataB);
        long onlyA = 0,
            onlyB = 0,
            accA = 0,
            accB = 0;
        for (var i = 0; i < n; i++)
        {
            accA += rightA[i] ? 1 : 0;
            accB += rightB[i] ? 1 : 0;
            onlyA += rightA[i] && !rightB[i] ? 1 : 0;
            onlyB += !rightA[i] && rightB[i] ? 1 : 0;
        }

        var count = names.Count;
        Span<double> pointA = stackalloc double[count];
        Span<double> pointB = stackalloc double[count];
        Extract(readers, BinaryEvaluator.PointState(dataA), pointA);
        Extract(readers, BinaryEvaluator.PointState(dataB), pointB);

        var resamples = n > 0 ? options.Resamples : 0;
        var differences = new double[count * resamples];
        var next = -1;
        var seed = options.Seed;
        if (resamples > 0)
        {
            ReplicateRunner.RunWorkers(options.MaxDegreeOfParallelism, resamples, () =>
            {
                var counts = new int[n];
                var weightsA = new int[n];
                var weightsB = new int[n];
                var stateA = new double[WeightedPass.Stride];
                var stateB = new double[WeightedPass.Stride];
                var lastGroup = new int[1];
                var valuesA = new double[count];
                var valuesB = new double[count];
                int r;
                while ((r = Interlocked.Increment(ref next)) < resamples)
                {
                    // Counts are drawn by original row and gathered into each model's score order.
                    Bootstrap.FillCounts(counts, seed, r);
                    for (var i = 0; i < n; i++)
                    {
                        weightsA[i] = counts[dataA.Order[i]];
                        weightsB[i] = counts[dataB.Order[i]];
                    }
                    WeightedPass.Run(dataA, weightsA, stateA, lastGroup);
                    WeightedPass.Run(dataB, weightsB, stateB, lastGroup);
                    Extract(readers, stateA, valuesA);
                    Extract(readers, stateB, valuesB);
                    for (var m = 0; m < count; m++)
                    {
                        differences[(m * resamples) + r] = valuesB[m] - valuesA[m];
                    }
                }
            });
        }

        var result = new Dictionary<string, PairedDifference>(StringComparer.Ordinal);
        for (var m = 0; m < count; m++)
        {
            var difference = pointB[m] - pointA[m];
            var interval =
                resamples > 0 && !double.IsNaN(difference)
                    ? Bootstrap.Percentile(differences.AsSpan(m * resamples, resamples), options.Confidence)
                    : Interval.Unknown;
            result[names[m]] = new PairedDifference(pointA[m], pointB[m], difference, interval);
        }

        return new PairedComparisonResult
        {
            N = n,
            AccuracyA = WeightedPass.Ratio(accA, n),
            AccuracyB = WeightedPass.Ratio(accB, n),
            OnlyARight = onlyA,
            OnlyBRight = onlyB,
            // McNemar p-value: wired by the integrator (Statistics/McNemar.Test(b, c), exact below 25 discordant pairs).
            McNemarPValue = double.NaN,
            Differences = result,
        };
    }

    /// <summary>Whether each original row's decision matches its label.</summary>
    private static bool[] Decisions(SortedBinaryData data)
    {
        var right = new bool[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            var f = data.Flags[i];
            right[data.Order[i]] = ((f & SortedBinaryData.LabelBit) != 0) == ((f & SortedBinaryData.DecisionBit) != 0);
        }
        return right;
    }

    private static IEnumerable<MetricInfo> Compared() =>
        MetricCatalog.All.Where(m => m.PairedOrder is not null).OrderBy(m => m.PairedOrder);

    /// <summary>
    /// A metric's reader: its own slot, or for a rate of the decisions its successes over its trials in the pass's
    /// confusion counts (the weights are whole draw counts, so the counts are exact); null for neither.
    /// </summary>
    private static PassReader? Reader(MetricInfo info) =>
        info.Pass
        ?? (
            info is { Successes: { } successes, Basis: { } basis }
                ? a =>
                {
                    var confusion = WeightedPass.Confusion(a);
                    return WeightedPass.Ratio(successes(confusion), Planner.Count(basis, confusion));
                }
                : null
        );

    private static void Extract(PassReader[] readers, ReadOnlySpan<double> a, Span<double> into)
    {
        for (var m = 0; m < readers.Length; m++)
        {
            into[m] = readers[m](a);
        }
    }
}
