namespace Overlap.Core.Evaluation;

/// <summary>One metric compared between the baseline and the candidate.</summary>
public sealed record MetricDifference
{
    /// <summary>The metric.</summary>
    public required string Metric { get; init; }

    /// <summary>The baseline's value.</summary>
    public required double Baseline { get; init; }

    /// <summary>The candidate's value.</summary>
    public required double Candidate { get; init; }

    /// <summary>Candidate minus baseline.</summary>
    public required double Difference { get; init; }

    /// <summary>Lower bound of the difference's interval (paired bootstrap), if any.</summary>
    public double? CiLow { get; init; }

    /// <summary>Upper bound of the difference's interval, if any.</summary>
    public double? CiHigh { get; init; }

    /// <summary>The test's p-value (McNemar for accuracy), if any.</summary>
    public double? PValue { get; init; }

    /// <summary>mcnemar_exact, mcnemar_chi2 or paired_bootstrap.</summary>
    public required string Method { get; init; }

    /// <summary>True when the difference is real at the contract's confidence.</summary>
    public required bool Significant { get; init; }

    /// <summary>better, worse or no_real_difference, from the candidate's side.</summary>
    public required string Direction { get; init; }
}
