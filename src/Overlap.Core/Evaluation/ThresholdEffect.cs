using Overlap.Core.Contracts;
using Overlap.Core.Statements;

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

    /// <summary>"recall would be 50%, below the contract's 80%": the figure against its bar, for the reports and the dashboard alike.</summary>
    public string Said()
    {
        var name = Phrasing.Name(Metric);
        if (Value is not { } v)
        {
            return $"{name} could not be measured ({Reason})";
        }
        var side = Bound == "min" ? (v < Bar ? "below" : "above") : (v > Bar ? "above" : "below");
        var misses = Bound == "min" ? v < Bar : v > Bar;
        return Kept || misses
            ? $"{name} would be {Phrasing.Percent(v)}, {side} the contract's {Phrasing.Percent(Bar)}"
            : $"{name} would be {Phrasing.Percent(v)}, too close to the contract's {Phrasing.Percent(Bar)} to be sure of it";
    }

    internal static string BoundName(Bound bound) => bound == Contracts.Bound.Min ? "min" : "max";
}
