using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>How a binary evaluation is run: decision threshold, confidence, bootstrap and error costs.</summary>
public sealed record BinaryOptions
{
    /// <summary>Decision threshold: an example is flagged positive when its score is at or above it. Default 0.5.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Two-sided confidence of every interval. Default 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Bootstrap resamples; 0 skips the bootstrap (intervals unknown). Default 1,000.</summary>
    public int Resamples { get; init; } = Bootstrap.DefaultResamples;

    /// <summary>Bootstrap seed: the same seed on the same data gives the same intervals.</summary>
    public ulong Seed { get; init; } = Bootstrap.DefaultSeed;

    /// <summary>Cost of one false positive (a negative flagged). Default 1.</summary>
    public double CostFalsePositive { get; init; } = 1;

    /// <summary>Cost of one false negative (a positive missed). Default 1.</summary>
    public double CostFalseNegative { get; init; } = 1;

    /// <summary>Most cores the bootstrap may use; -1 (default) for all. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (!(Threshold >= 0 && Threshold <= 1) && !double.IsPositiveInfinity(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The threshold must be in [0, 1].");
        }
        if (!(Confidence > 0 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "The confidence must be in (0, 1).");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(Resamples);
        if (!(CostFalsePositive >= 0) || !(CostFalseNegative >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(CostFalsePositive), "Error costs must be non-negative numbers.");
        }
    }
}
