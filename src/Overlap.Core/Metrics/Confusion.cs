namespace Overlap.Core.Metrics;

/// <summary>
/// The confusion counts of binary decisions. Counts merge by addition, so a whole is the sum of its parts.
/// </summary>
/// <param name="Tp">Positives flagged.</param>
/// <param name="Fp">Negatives flagged.</param>
/// <param name="Fn">Positives missed.</param>
/// <param name="Tn">Negatives let through.</param>
public readonly record struct Confusion(long Tp, long Fp, long Fn, long Tn)
{
    /// <summary>All examples.</summary>
    public long Total => Tp + Fp + Fn + Tn;

    /// <summary>Examples whose label is positive.</summary>
    public long Positives => Tp + Fn;

    /// <summary>Examples whose label is negative.</summary>
    public long Negatives => Fp + Tn;

    /// <summary>Examples flagged positive.</summary>
    public long PredictedPositives => Tp + Fp;

    /// <summary>Merges two sets of counts.</summary>
    public static Confusion operator +(Confusion left, Confusion right) =>
        new(left.Tp + right.Tp, left.Fp + right.Fp, left.Fn + right.Fn, left.Tn + right.Tn);

    /// <summary>Merges two sets of counts (the named form of <c>+</c>).</summary>
    public static Confusion Add(Confusion left, Confusion right) => left + right;
}
