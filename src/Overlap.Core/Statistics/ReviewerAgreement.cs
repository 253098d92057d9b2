namespace Overlap.Core.Statistics;

/// <summary>
/// How far two reviewers agree on the same cases: the share of cases where the two labels match, with its Wilson
/// interval, and Cohen's kappa (agreement beyond what chance would give with each side's label shares), as
/// <c>sklearn.metrics.cohen_kappa_score(first, second)</c>.
/// </summary>
/// <param name="Cases">Cases decided twice.</param>
/// <param name="Agreeing">Cases where the two labels match.</param>
/// <param name="Share">Agreeing / Cases; NaN with no case.</param>
/// <param name="Interval">The Wilson interval of <paramref name="Share"/>.</param>
/// <param name="Kappa">Cohen's kappa; NaN with no case, or when chance alone agrees on every case (both sides always give one same label).</param>
public sealed record ReviewerAgreement(long Cases, long Agreeing, double Share, Interval Interval, double Kappa)
{
    /// <summary>Agreement over pairs of (first opinion, second opinion) at the given two-sided confidence.</summary>
    public static ReviewerAgreement Of(IReadOnlyCollection<(string First, string Second)> pairs, double confidence)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        long n = pairs.Count;
        if (n == 0)
        {
            return new ReviewerAgreement(0, 0, double.NaN, Interval.Unknown, double.NaN);
        }
        var agreeing = pairs.LongCount(p => string.Equals(p.First, p.Second, StringComparison.Ordinal));
        var first = pairs
            .GroupBy(p => p.First, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (double)g.LongCount(), StringComparer.Ordinal);
        var second = pairs
            .GroupBy(p => p.Second, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (double)g.LongCount(), StringComparer.Ordinal);
        var observed = (double)agreeing / n;
        var chance = first.Sum(f => f.Value / n * (second.GetValueOrDefault(f.Key) / n));
        var kappa = chance >= 1 ? double.NaN : (observed - chance) / (1 - chance);
        return new ReviewerAgreement(n, agreeing, observed, Wilson.Interval(agreeing, n, confidence), kappa);
    }
}
