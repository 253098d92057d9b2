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
        var labels = pairs
            .SelectMany(p => new[] { p.First, p.Second })
            .Distinct(StringComparer.Ordinal)
            .Select((label, i) => (label, i))
            .ToDictionary(x => x.label, x => x.i, StringComparer.Ordinal);
        var table = new double[labels.Count, labels.Count];
        foreach (var (first, second) in pairs)
        {
            table[labels[first], labels[second]]++;
        }
        var observed = (double)agreeing / n;
        return new ReviewerAgreement(
            n,
            agreeing,
            observed,
            Wilson.Interval(agreeing, n, confidence),
            CohenKappa.Of(table)
        );
    }
}
