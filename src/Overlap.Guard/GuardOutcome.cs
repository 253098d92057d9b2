namespace Overlap.Guard;

/// <summary>What a guarded scored call decided.</summary>
public enum GuardOutcome
{
    /// <summary>The model decided: the score is at or above the threshold (the contract's positive label).</summary>
    Positive,

    /// <summary>The model decided: the score is below the threshold (the contract's negative label).</summary>
    Negative,

    /// <summary>The score is in the uncertain band: a person decides; the application should not act on it alone.</summary>
    Abstain,

    /// <summary>The input failed its expectations and was refused; it was not scored.</summary>
    Reject,

    /// <summary>The application's named fallback decides (see <see cref="GuardDecision.Fallback"/>).</summary>
    Fallback,

    /// <summary>The case went to a person through the review queue.</summary>
    Escalate,
}
