using Overlap.Core.Contracts;

namespace Overlap.Core.Evaluation;

/// <summary>The normative verdict rules of DESIGN.md: judged on the interval, never on the point estimate.</summary>
public static class Judge
{
    /// <summary>
    /// min b: pass when low ≥ b, fail when high &lt; b; max b: pass when high ≤ b, fail when low &gt; b;
    /// otherwise (or with no interval) inconclusive.
    /// </summary>
    public static Verdict Interval(Bound bound, double bar, double low, double high)
    {
        if (double.IsNaN(low) || double.IsNaN(high))
        {
            return Verdict.Inconclusive;
        }
        return bound switch
        {
            Bound.Min when low >= bar => Verdict.Pass,
            Bound.Min when high < bar => Verdict.Fail,
            Bound.Max or Bound.MaxGap when high <= bar => Verdict.Pass,
            Bound.Max or Bound.MaxGap when low > bar => Verdict.Fail,
            _ => Verdict.Inconclusive,
        };
    }

    /// <summary>The worst of several verdicts (fail &gt; inconclusive &gt; pass); skipped ones do not count; none gives pass.</summary>
    public static Verdict Worst(IEnumerable<Verdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var worst = Verdict.Pass;
        foreach (var v in verdicts)
        {
            if (v == Verdict.Fail)
            {
                return Verdict.Fail;
            }
            if (v == Verdict.Inconclusive)
            {
                worst = Verdict.Inconclusive;
            }
        }
        return worst;
    }

    /// <summary>
    /// About how many more examples behind the figure (its denominator) would settle an inconclusive
    /// verdict if the point estimate held: the interval's half-width shrinks as 1/√n, so it must shrink
    /// from its current size to the distance between the estimate and the bar. Null when the estimate
    /// sits on the bar (no amount of data settles it) or the interval is unknown.
    /// </summary>
    public static long? MoreNeeded(double value, double low, double high, long n, double bar)
    {
        if (n <= 0 || double.IsNaN(value) || double.IsNaN(low) || double.IsNaN(high))
        {
            return null;
        }
        var distance = Math.Abs(value - bar);
        // The side of the interval that faces the bar must shrink to the distance; intervals need not be symmetric.
        var half = bar > value ? high - value : value - low;
        if (distance <= 1e-12 || half <= 0)
        {
            return null;
        }
        var target = n * Math.Pow(half / distance, 2);
        var more = (long)Math.Ceiling(target - n);
        return more <= 0 ? 1 : more;
    }
}
