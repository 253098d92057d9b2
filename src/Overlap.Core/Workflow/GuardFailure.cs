namespace Overlap.Core.Workflow;

/// <summary>One expectation or check a call failed: its name (as logged in <c>failed_checks</c>) and why, in the contract's words.</summary>
/// <param name="Name">The failure's name: an output check's name, <c>format</c>, or an input expectation such as <c>range.amount</c>.</param>
/// <param name="Message">Why it failed, for the log, the reviewer and the retry prompt.</param>
public readonly record struct GuardFailure(string Name, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Message}";
}
