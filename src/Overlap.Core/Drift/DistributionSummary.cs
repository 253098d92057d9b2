namespace Overlap.Core.Drift;

/// <summary>
/// A column's distribution in the reference and the current data, drawn over each other in reports:
/// shares per histogram bin (numeric, bins on the reference's range) or per category.
/// </summary>
public sealed record DistributionSummary
{
    /// <summary>Bin labels: the category, or the bin's lower edge for numbers.</summary>
    public required IReadOnlyList<string> Bins { get; init; }

    /// <summary>Share of the reference in each bin.</summary>
    public required IReadOnlyList<double> Reference { get; init; }

    /// <summary>Share of the current data in each bin.</summary>
    public required IReadOnlyList<double> Current { get; init; }
}
