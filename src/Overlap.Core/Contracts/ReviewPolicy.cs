namespace Overlap.Core.Contracts;

/// <summary>Which cases go to a person.</summary>
public sealed record ReviewPolicy
{
    /// <summary>The rule as written ("score between 0.35 and 0.65").</summary>
    public required string When { get; init; }

    /// <summary>Scores at or above this go to review.</summary>
    public double ScoreLow { get; init; } = double.NegativeInfinity;

    /// <summary>Scores at or below this go to review.</summary>
    public double ScoreHigh { get; init; } = double.PositiveInfinity;

    /// <summary>A random share of all cases also reviewed, for unbiased labels.</summary>
    public double Sample { get; init; }

    /// <summary>
    /// The share of routed cases a second reviewer decides too, without seeing the first decision: it measures how far
    /// reviewers agree, and a disagreement escalates the case. 0 (the default) asks for one opinion.
    /// </summary>
    public double SecondOpinion { get; init; }

    /// <summary>How long a case may wait before it is escalated.</summary>
    public TimeSpan? EscalateAfter { get; init; }

    /// <summary>The categories a reviewer can file a failure under.</summary>
    public IReadOnlyList<string> FailureCategories { get; init; } = [];

    /// <summary>True when a case with this score goes to review by the rule (not counting the random sample).</summary>
    public bool Routes(double score) => score >= ScoreLow && score <= ScoreHigh;
}
