namespace Overlap.Core.Workflow;

/// <summary>Where a guarded call goes next, as <see cref="WorkflowGuard"/> resolves it.</summary>
public enum GuardNext
{
    /// <summary>Use the answer (or decide by the threshold).</summary>
    Use,

    /// <summary>Ask the model again with the failures added to the prompt.</summary>
    Retry,

    /// <summary>Let the application's named fallback answer.</summary>
    Fallback,

    /// <summary>Send the case to a person through the review queue.</summary>
    Escalate,

    /// <summary>The score is uncertain: a person decides.</summary>
    Abstain,

    /// <summary>Refuse the call.</summary>
    Reject,
}
