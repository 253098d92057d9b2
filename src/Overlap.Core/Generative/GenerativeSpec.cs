namespace Overlap.Core.Generative;

/// <summary>
/// What a generative contract says about its outputs: the deterministic checks, the rubric judged by people and/or a
/// model, which of them an acceptable output must pass, and who judges.
/// </summary>
public sealed record GenerativeSpec
{
    /// <summary>The deterministic checks run on every output, in contract order.</summary>
    public IReadOnlyList<OutputCheck> Checks { get; init; } = [];

    /// <summary>The rubric's criteria, in contract order.</summary>
    public IReadOnlyList<RubricCriterion> Rubric { get; init; } = [];

    /// <summary>
    /// The checks and criteria an acceptable output must pass, by name; null for <c>acceptable: all</c> (every check
    /// and every criterion).
    /// </summary>
    public IReadOnlyList<string>? Acceptable { get; init; }

    /// <summary>Who grades the rubric; null when the contract does not say (people's grades in the data only).</summary>
    public JudgesPolicy? Judges { get; init; }

    /// <summary>The check and criterion names <c>acceptable</c> needs, in contract order.</summary>
    public IReadOnlyList<string> AcceptableNames =>
        Acceptable ?? [.. Checks.Select(c => c.Name), .. Rubric.Select(r => r.Name)];
}
