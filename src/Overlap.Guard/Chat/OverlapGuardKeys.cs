namespace Overlap.Guard;

/// <summary>The keys <see cref="OverlapGuardChatClient"/> reads from <c>ChatOptions.AdditionalProperties</c> and writes to a response's.</summary>
public static class OverlapGuardKeys
{
    /// <summary>
    /// Read per call: a named input for the contract's input expectations, as <c>overlap.input.&lt;name&gt;</c> with its
    /// value (text, number, boolean). The text expectation's field is the last user message unless given so.
    /// </summary>
    public const string InputPrefix = "overlap.input.";

    /// <summary>Written on every guarded response: the <see cref="Overlap.Events.WorkflowTrace"/> of the call.</summary>
    public const string Workflow = "overlap.workflow";
}
