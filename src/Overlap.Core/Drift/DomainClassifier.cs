using Overlap.Core.Statistics;

namespace Overlap.Core.Drift;

/// <summary>
/// The domain-classifier test for embeddings, as Evidently runs it for text: can a classifier tell current rows from
/// reference rows? Each side is shuffled (seeded) and split in halves; the classifier learns on the first halves and
/// is scored on the second by ROC AUC (current as the positive class; 0.5 is chance). The classifier is the nearest
/// centroid: a row scores by its dot product with the difference of the two training halves' mean vectors.
/// </summary>
/// <remarks>
/// Drift is an AUC above both Evidently's fixed bar (<see cref="MinAuc"/>) and the 95th percentile of the AUCs the
/// whole procedure reaches when the rows' labels are shuffled (<see cref="Permutations"/> times, seeded): the
/// percentile guards small samples, where chance alone reaches 0.55 easily; the fixed bar keeps large samples from
/// calling a difference too small to matter drift. The p-value is the share of shuffled AUCs at or above the observed
/// one, (1 + k) / (1 + permutations).
/// </remarks>
internal static class DomainClassifier
{
    /// <summary>Evidently's ROC AUC bar for text drift.</summary>
    public const double MinAuc = 0.55;

    /// <summary>How many label shuffles give the chance distribution of the AUC.</summary>
    public const int Permutations = 199;

    /// <summary>The quantile of the shuffled AUCs the observed AUC must exceed.</summary>
    public const double ChanceQuantile = 0.95;

    private const ulong Seed = 15;

    /// <summary>The test's outcome.</summary>
    /// <param name="Auc">ROC AUC on the held-out halves.</param>
    /// <param name="ChanceAuc">The 95th percentile of the AUCs with shuffled labels.</param>
    /// <param name="PValue">The share of shuffled AUCs at or above <paramref name="Auc"/>, counting the observed one.</param>
    public readonly record struct Result(double Auc, double ChanceAuc, double PValue)
    {
        /// <summary>The AUC drift must exceed: the larger of the fixed bar and the chance percentile.</summary>
        public double Bar => Math.Max(MinAuc, ChanceAuc);

        /// <summary>True when the AUC exceeds <see cref="Bar"/>.</summary>
        public bool Drift => Auc > Bar;
    }

    /// <summary>Runs the test; each side needs at least 4 rows (2 to learn from, 2 to score).</summary>
    public static Result Test(IReadOnlyList<float[]> reference, IReadOnlyList<float[]> current)
    {
        if (reference.Count < 4 || current.Count < 4)
        {
            throw new ArgumentException("each side needs at least 4 rows");
        }
        var rng = new Xoshiro256(Seed);
        var (refTrain, refTest) = Split(reference, ref rng);
        var (curTrain, curTest) = Split(current, ref rng);
        var dims = reference[0].Length;
        var auc = Auc(Direction(curTrain, refTrain, dims), curTest, refTest);
        // Shuffled labels: every row, of either side, is as likely to be called current; the same number are, and the
        // whole procedure (split, learn, score) runs again on the shuffled sides.
        var pooled = reference.Concat(current).ToArray();
        var chance = new double[Permutations];
        var atLeast = 0;
        for (var p = 0; p < Permutations; p++)
        {
            Shuffle(pooled, ref rng);
            var (fakeRefTrain, fakeRefTest) = Halves(pooled[..reference.Count]);
            var (fakeCurTrain, fakeCurTest) = Halves(pooled[reference.Count..]);
            chance[p] = Auc(Direction(fakeCurTrain, fakeRefTrain, dims), fakeCurTest, fakeRefTest);
            atLeast += chance[p] >= auc ? 1 : 0;
        }
        Array.Sort(chance);
        return new Result(auc, Bootstrap.Quantile(chance, ChanceQuantile), (1.0 + atLeast) / (1.0 + Permutations));
    }

    private static (float[][] Train, float[][] Test) Split(IReadOnlyList<float[]> rows, ref Xoshiro256 rng)
    {
        var order = rows.ToArray();
        Shuffle(order, ref rng);
        return Halves(order);
    }

    /// <summary>The first half (rounded down) to learn from, the rest to score.</summary>
    private static (float[][] Train, float[][] Test) Halves(float[][] rows) =>
        (rows[..(rows.Length / 2)], rows[(rows.Length / 2)..]);

    /// <summary>Fisher–Yates, in place.</summary>
    private static void Shuffle(float[][] rows, ref Xoshiro256 rng)
    {
        for (var i = rows.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }

    /// <summary>The mean of <paramref name="positive"/> minus the mean of <paramref name="negative"/>.</summary>
    private static double[] Direction(ReadOnlySpan<float[]> positive, ReadOnlySpan<float[]> negative, int dims)
    {
        var w = new double[dims];
        foreach (var v in positive)
        {
            for (var d = 0; d < dims; d++)
            {
                w[d] += v[d] / (double)positive.Length;
            }
        }
        foreach (var v in negative)
        {
            for (var d = 0; d < dims; d++)
            {
                w[d] -= v[d] / (double)negative.Length;
            }
        }
        return w;
    }

    private static double Auc(double[] w, float[][] positives, float[][] negatives)
    {
        static double[] Scores(double[] w, float[][] rows) =>
            [
                .. rows.Select(v =>
                {
                    var s = 0.0;
                    for (var d = 0; d < w.Length; d++)
                    {
                        s += w[d] * v[d];
                    }
                    return s;
                }),
            ];
        return RankAuc.Of(Scores(w, positives), Scores(w, negatives));
    }
}
