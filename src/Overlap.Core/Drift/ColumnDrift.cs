using System.Text.Json.Serialization;

namespace Overlap.Core.Drift;

/// <summary>One column's drift verdict (the DESIGN.md report shape, with the distributions added).</summary>
public sealed record ColumnDrift
{
    /// <summary>The column.</summary>
    public required string Column { get; init; }

    /// <summary>numeric or categorical.</summary>
    public required string Kind { get; init; }

    /// <summary>ks, wasserstein, chi_square, jensen_shannon or psi.</summary>
    public required string Test { get; init; }

    /// <summary>The test's statistic (D, normalised distance, chi-square, JS distance or PSI).</summary>
    public required double Statistic { get; init; }

    /// <summary>The p-value, for ks and chi_square; null for the distances (written as null: DESIGN.md's shape has the field).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? PValue { get; init; }

    /// <summary>The threshold drift is judged at: the p-value's alpha, or the statistic's bar.</summary>
    public required double Threshold { get; init; }

    /// <summary>True when the column drifted.</summary>
    public required bool Drift { get; init; }

    /// <summary>Non-missing values in the reference.</summary>
    public long ReferenceN { get; init; }

    /// <summary>Non-missing values in the current data.</summary>
    public long CurrentN { get; init; }

    /// <summary>The two distributions, for charts.</summary>
    public DistributionSummary? Distribution { get; init; }
}
