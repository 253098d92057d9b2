using Overlap.Core.Contracts;
using Overlap.Core.Planning;

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

    /// <summary>
    /// The successes and trials behind a rate these counts decide (recall: tp of tp + fn), or null for a metric that is
    /// not such a rate (ROC AUC, F1, …).
    /// </summary>
    public (long Successes, long Trials)? Rate(string metric) =>
        MetricCatalog.Find(metric) is { Successes: { } successes, Basis: { } basis }
            ? (successes(this), Planner.Count(basis, this))
            : null;

    /// <summary>The names of the rates <see cref="Rate"/> knows, in report order.</summary>
    public static IReadOnlyList<string> Rates { get; } =
    [.. MetricCatalog.All.Where(m => m.Successes is not null).Select(m => m.Name)];

    /// <summary>One example's cell: a true positive, false positive, false negative or true negative.</summary>
    public static Confusion One(bool positive, bool flagged) =>
        (positive, flagged) switch
        {
            (true, true) => new Confusion(1, 0, 0, 0),
            (false, true) => new Confusion(0, 1, 0, 0),
            (true, false) => new Confusion(0, 0, 1, 0),
            _ => new Confusion(0, 0, 0, 1),
        };

    /// <summary>Merges two sets of counts.</summary>
    public static Confusion operator +(Confusion left, Confusion right) =>
        new(left.Tp + right.Tp, left.Fp + right.Fp, left.Fn + right.Fn, left.Tn + right.Tn);

    /// <summary>Merges two sets of counts (the named form of <c>+</c>).</summary>
    public static Confusion Add(Confusion left, Confusion right) => left + right;
}
