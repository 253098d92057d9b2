using Overlap.Core.Contracts;

namespace Overlap.Core.Evaluation;

/// <summary>What a threshold does to one requirement the threshold moves: its figure there and whether the bar still holds.</summary>
public sealed record ThresholdEffect
{
    /// <summary>The requirement's metric.</summary>
    public required string Metric { get; init; }

    /// <summary>min or max.</summary>
    public required string Bound { get; init; }

    /// <summary>The contract's bar.</summary>
    public required double Bar { get; init; }

    /// <summary>The figure at that threshold; null when it cannot be measured there (see <see cref="Reason"/>).</summary>
    public double? Value { get; init; }

    /// <summary>Why the figure has no value, in words.</summary>
    public string? Reason { get; init; }

    /// <summary>True when the requirement is met there, judged as the contract judges (the whole interval clears the bar).</summary>
    public required bool Kept { get; init; }

    internal static string BoundName(Bound bound) => bound == Contracts.Bound.Min ? "min" : "max";
}
