namespace Overlap.Core.Evaluation;

/// <summary>
/// What doing nothing clever would score on the same examples (always the most common class; for regression always
/// the mean of the labels), and whether the model beats it: the paired difference per example with its interval.
/// </summary>
public sealed record TrivialBaseline
{
    /// <summary>The rule, in words ("always 'legit', the most common class").</summary>
    public required string Rule { get; init; }

    /// <summary>The figure compared: accuracy, cost_per_1000 (binary with costs) or mae (regression).</summary>
    public required string Metric { get; init; }

    /// <summary>The trivial rule's figure.</summary>
    public required double Baseline { get; init; }

    /// <summary>The model's figure.</summary>
    public required double Model { get; init; }

    /// <summary>Model minus baseline.</summary>
    public required double Difference { get; init; }

    /// <summary>Lower bound of the difference's interval (normal, on the paired per-example differences).</summary>
    public double? CiLow { get; init; }

    /// <summary>Upper bound of the difference's interval.</summary>
    public double? CiHigh { get; init; }

    /// <summary>True when the whole interval lies on the model's good side: the model really beats the rule.</summary>
    public required bool Beats { get; init; }

    /// <summary>The comparison in words.</summary>
    public required string Statement { get; init; }
}
