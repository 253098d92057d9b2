namespace Overlap.Core.Planning;

/// <summary>What one segment value has and needs for a per-segment requirement.</summary>
public sealed record SegmentPlan
{
    /// <summary>The segment value.</summary>
    public required string Value { get; init; }

    /// <summary>Labelled examples of the plan's basis the data holds for this value now.</summary>
    public required long Current { get; init; }

    /// <summary>The rate the group is sized at: its observed figure, or the overall one when it has none.</summary>
    public required double Expected { get; init; }

    /// <summary>The half-width the group is sized to: its distance to the bar, unless a margin was given.</summary>
    public required double Margin { get; init; }

    /// <summary>Labelled examples of the basis this value needs.</summary>
    public required long Needed { get; init; }

    /// <summary>How many more it needs: max(0, needed − current).</summary>
    public required long More { get; init; }

    /// <summary>Share of this value's examples that count in the basis (its prevalence, or its flagged share); null when it has none.</summary>
    public double? Share { get; init; }

    /// <summary>Labelled examples of this value that hold <see cref="Needed"/> of the basis at its share; null when unknown.</summary>
    public long? ExamplesNeeded { get; init; }
}
