namespace Overlap.Core.Metrics;

/// <summary>How a binary evaluation is run: decision threshold, confidence, bootstrap and error costs.</summary>
internal sealed record BinaryOptions : EngineOptions
{
    /// <summary>Decision threshold: an example is flagged positive when its score is at or above it. Default 0.5.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Cost of one false positive (a negative flagged). Default 1.</summary>
    public double CostFalsePositive { get; init; } = 1;

    /// <summary>Cost of one false negative (a positive missed). Default 1.</summary>
    public double CostFalseNegative { get; init; } = 1;

    /// <summary>
    /// Whether the decisions with these counts keep every requirement the threshold moves; null when nothing constrains
    /// the threshold. The cheapest threshold that keeps them is reported beside the unconstrained optimum.
    /// </summary>
    public Func<Confusion, bool>? Keeps { get; init; }

    internal override void Validate()
    {
        if (!(Threshold >= 0 && Threshold <= 1) && !double.IsPositiveInfinity(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The threshold must be in [0, 1].");
        }
        base.Validate();
        if (!(CostFalsePositive >= 0) || !(CostFalseNegative >= 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(CostFalsePositive),
                "Error costs must be non-negative numbers."
            );
        }
    }
}
