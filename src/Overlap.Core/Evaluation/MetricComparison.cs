namespace Overlap.Core.Evaluation;

/// <summary>One metric of two runs: both figures, the difference B − A with its interval (independent samples, or paired when the runs share their examples), and whether it is real.</summary>
public sealed record MetricComparison
{
    /// <summary>The metric.</summary>
    public required string Metric { get; init; }

    /// <summary>Run A's figure with its interval; null when A has none.</summary>
    public MetricValue? A { get; init; }

    /// <summary>Run B's figure with its interval; null when B has none.</summary>
    public MetricValue? B { get; init; }

    /// <summary>B minus A; null when either figure is missing.</summary>
    public double? Difference { get; init; }

    /// <summary>Lower bound of the difference's interval.</summary>
    public double? CiLow { get; init; }

    /// <summary>Upper bound of the difference's interval.</summary>
    public double? CiHigh { get; init; }

    /// <summary>For a rate: the pooled two-proportion z-test's p-value.</summary>
    public double? PValue { get; init; }

    /// <summary>
    /// newcombe (a rate: Newcombe's interval from the two runs' counts), mover_bootstrap (any other metric: from the two
    /// runs' bootstrap intervals, approximate), a paired method from a run's own <c>--baseline</c> comparison when the runs
    /// share their examples (mcnemar_exact, mcnemar_chi2 or paired_bootstrap), or none (no figure to compare).
    /// </summary>
    public required string Method { get; init; }

    /// <summary>True when the interval is an approximation (the reports do not carry the bootstrap resamples).</summary>
    public required bool Approximate { get; init; }

    /// <summary>True when the difference's interval excludes zero.</summary>
    public required bool Significant { get; init; }

    /// <summary>better, worse, no_real_difference (from B's side) or not_comparable.</summary>
    public required string Direction { get; init; }

    /// <summary>The comparison in plain words.</summary>
    public required string Statement { get; init; }
}
