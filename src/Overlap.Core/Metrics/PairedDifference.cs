using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>One metric of two models on the same examples, and the paired-bootstrap interval of B − A.</summary>
/// <param name="A">Model A's value.</param>
/// <param name="B">Model B's value.</param>
/// <param name="Difference">B − A.</param>
/// <param name="Interval">Percentile interval of B − A over resamples that apply the same draw to both models.</param>
internal readonly record struct PairedDifference(double A, double B, double Difference, Interval Interval)
{
    /// <summary>True when the interval excludes 0: the difference is unlikely to be noise.</summary>
    public bool IsReal => Interval.IsKnown && (Interval.Low > 0 || Interval.High < 0);
}
