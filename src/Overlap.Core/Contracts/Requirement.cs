namespace Overlap.Core.Contracts;

/// <summary>One bar in a contract: a metric held to a min, a max or a max gap, overall or per segment.</summary>
public sealed record Requirement
{
    /// <summary>The metric's name, such as <c>recall</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>Which kind of bar.</summary>
    public required Bound Bound { get; init; }

    /// <summary>The bar's value.</summary>
    public required double Value { get; init; }

    /// <summary>The segment column it is judged per value of, or null for overall.</summary>
    public string? By { get; init; }

    /// <summary>The contract line it was written on (for messages).</summary>
    public int Line { get; init; }

    /// <summary>The YAML key of the bound: min, max or max_gap.</summary>
    public string BoundKey =>
        Bound switch
        {
            Bound.Min => "min",
            Bound.Max => "max",
            _ => "max_gap",
        };
}
