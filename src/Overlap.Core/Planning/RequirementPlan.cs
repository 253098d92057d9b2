namespace Overlap.Core.Planning;

/// <summary>How many labelled examples it takes to judge one proportion requirement (or to measure one metric).</summary>
public sealed record RequirementPlan
{
    /// <summary>The metric, such as <c>recall</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The kind of bar, <c>min</c> or <c>max</c>; null when measuring a metric without one.</summary>
    public string? Bound { get; init; }

    /// <summary>The bar, or null without one.</summary>
    public double? Bar { get; init; }

    /// <summary>The segment column the requirement is judged per value of, or null.</summary>
    public string? By { get; init; }

    /// <summary>The rate the plan assumes.</summary>
    public required double Expected { get; init; }

    /// <summary>Where <see cref="Expected"/> comes from: <c>data</c>, <c>bar</c> or <c>option</c>.</summary>
    public required string ExpectedFrom { get; init; }

    /// <summary>The half-width wanted.</summary>
    public required double Margin { get; init; }

    /// <summary>Two-sided confidence.</summary>
    public required double Confidence { get; init; }

    /// <summary>Which examples the count is of.</summary>
    public required PlanBasis Basis { get; init; }

    /// <summary>Labelled examples of the basis needed (per segment value when <see cref="By"/> is set).</summary>
    public required long Needed { get; init; }

    /// <summary>Labelled examples of the basis the data holds now (overall), or null without data.</summary>
    public long? Current { get; init; }

    /// <summary>Share of all examples that count in the basis, or null when unknown.</summary>
    public double? Share { get; init; }

    /// <summary>
    /// Labelled examples in all that hold <see cref="Needed"/> of the basis at <see cref="Share"/>; per segment,
    /// enough at the current mix for the value hardest to fill. Null when a share is unknown.
    /// </summary>
    public long? ExamplesNeeded { get; init; }

    /// <summary>Per segment value, for a <c>by:</c> requirement with data.</summary>
    public IReadOnlyList<SegmentPlan>? Segments { get; init; }

    /// <summary>The plan in plain words.</summary>
    public required string Statement { get; init; }
}
