using Overlap.Core.Statistics;

namespace Overlap.Core.Experiments;

/// <summary>
/// Whether the units came out of the arms in the planned split (the sample-ratio-mismatch check): a chi-square
/// goodness-of-fit test of the arm counts against the planned shares. A mismatch means something assigns or logs arms
/// wrongly (a cache serving one arm, a crash in one arm's code path, a filter after assignment), and no comparison of
/// the arms can be trusted until it is found, so it stops every verdict.
/// </summary>
public static class SampleRatio
{
    /// <summary>The p-value below which the split is called wrong (GrowthBook's threshold).</summary>
    public const double Alpha = 0.001;

    /// <summary>
    /// Tests <paramref name="counts"/> (units per arm) against the planned <paramref name="weights"/> (any positive
    /// scale), as <c>scipy.stats.chisquare(counts, expected)</c> does with the expected counts in the planned shares.
    /// </summary>
    public static SplitCheck Check(IReadOnlyList<long> counts, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(weights);
        if (counts.Count != weights.Count || counts.Count < 2)
        {
            throw new ArgumentException(
                "the split check needs a count and a planned weight for each of two or more arms"
            );
        }
        var total = counts.Sum();
        var weightSum = weights.Sum();
        var shares = weights.Select(w => w / weightSum).ToArray();
        if (total == 0)
        {
            return new SplitCheck(0, 1, false, [.. shares], [.. shares.Select(_ => 0.0)]);
        }
        var statistic = 0.0;
        for (var i = 0; i < counts.Count; i++)
        {
            var expected = total * shares[i];
            statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        var p = ChiSquare.Survival(statistic, counts.Count - 1);
        return new SplitCheck(statistic, p, p < Alpha, [.. shares], [.. counts.Select(c => (double)c / total)]);
    }
}

/// <summary>The split check's result.</summary>
/// <param name="Statistic">The chi-square statistic.</param>
/// <param name="PValue">Its p-value with (arms − 1) degrees of freedom.</param>
/// <param name="Mismatch">Whether the p-value is below <see cref="SampleRatio.Alpha"/>.</param>
/// <param name="Planned">The planned share of each arm.</param>
/// <param name="Observed">The share of the units each arm received.</param>
public sealed record SplitCheck(
    double Statistic,
    double PValue,
    bool Mismatch,
    IReadOnlyList<double> Planned,
    IReadOnlyList<double> Observed
);
