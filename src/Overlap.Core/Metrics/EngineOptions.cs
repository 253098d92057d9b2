using Overlap.Core.Statistics;

namespace Overlap.Core.Metrics;

/// <summary>What every evaluation shares: the confidence of its intervals and how the bootstrap runs.</summary>
internal abstract record EngineOptions
{
    /// <summary>Two-sided confidence of every interval. Default 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Bootstrap resamples; 0 skips the bootstrap (intervals unknown). Default 1,000.</summary>
    public int Resamples { get; init; } = Bootstrap.DefaultResamples;

    /// <summary>Bootstrap seed: the same seed on the same data gives the same intervals.</summary>
    public ulong Seed { get; init; } = Bootstrap.DefaultSeed;

    /// <summary>Most cores the bootstrap may use; -1 (default) for all. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    internal virtual void Validate()
    {
        if (!(Confidence > 0 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "The confidence must be in (0, 1).");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(Resamples);
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDegreeOfParallelism),
                MaxDegreeOfParallelism,
                "The degree of parallelism must be positive, or -1 for all cores."
            );
        }
    }
}
