namespace Overlap.Core.Planning;

/// <summary>How many labelled examples each of two models needs to tell their rates apart.</summary>
public sealed record ComparisonPlan
{
    /// <summary>The rate of the model in use.</summary>
    public required double BaselineRate { get; init; }

    /// <summary>The rate the new model is hoped to reach.</summary>
    public required double CandidateRate { get; init; }

    /// <summary>Cohen's h, candidate against baseline.</summary>
    public required double EffectSize { get; init; }

    /// <summary>Significance level of the two-sided test.</summary>
    public required double Alpha { get; init; }

    /// <summary>Chance of detecting the difference when it is real.</summary>
    public required double Power { get; init; }

    /// <summary>Examples per arm, rounded up.</summary>
    public required long PerArm { get; init; }

    /// <summary>Examples in both arms.</summary>
    public required long Total { get; init; }

    /// <summary>The plan in plain words.</summary>
    public required string Statement { get; init; }
}
