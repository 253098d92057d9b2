namespace Overlap.Core.Planning;

/// <summary>Choices a plan is made with; whatever is null comes from the data or the contract.</summary>
public sealed record PlanOptions
{
    /// <summary>The half-width wanted; null: the distance between the observed figure and the bar, else 0.02.</summary>
    public double? Margin { get; init; }

    /// <summary>Two-sided confidence; null: the contract's.</summary>
    public double? Confidence { get; init; }

    /// <summary>Share of examples that are positive, when no data says so.</summary>
    public double? Prevalence { get; init; }

    /// <summary>Share of examples the model flags, when no data says so (for precision).</summary>
    public double? FlaggedShare { get; init; }
}
