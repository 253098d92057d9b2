namespace Overlap.Core.Generative;

/// <summary>The contract's <c>judges</c>: who grades the rubric, and when a model judge's grades count.</summary>
public sealed record JudgesPolicy
{
    /// <summary>The share of production outputs sent to people in the review queue (0 to 1).</summary>
    public double PeopleSample { get; init; }

    /// <summary>The model judge, if one is configured.</summary>
    public ModelJudgePolicy? Model { get; init; }

    /// <summary>
    /// The agreement with people (share of the same outputs graded alike) a model judge must reach on a criterion,
    /// judged on its interval's lower bound, before its grades count toward that criterion's verdicts.
    /// </summary>
    public double MinAgreement { get; init; } = 0.8;
}
