using Overlap.Core.Evaluation;

namespace Overlap.Core.Fairness;

/// <summary>One group's rates; each proportion with its Wilson interval, null when the group has nothing to measure it on.</summary>
public sealed record FairnessGroup
{
    /// <summary>The group's value ("F"; "F &amp; black" for an intersection).</summary>
    public required string Value { get; init; }

    /// <summary>Examples in the group.</summary>
    public required long N { get; init; }

    /// <summary>Positive examples in the group.</summary>
    public required long Positives { get; init; }

    /// <summary>Negative examples in the group.</summary>
    public required long Negatives { get; init; }

    /// <summary>Share of the group flagged.</summary>
    public required MetricValue SelectionRate { get; init; }

    /// <summary>Share of the group's positives flagged.</summary>
    public required MetricValue TruePositiveRate { get; init; }

    /// <summary>Share of the group's negatives flagged.</summary>
    public required MetricValue FalsePositiveRate { get; init; }

    /// <summary>The group's expected calibration error (10 equal-width bins, no interval); null without a score.</summary>
    public double? CalibrationError { get; init; }
}
