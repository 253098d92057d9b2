using Overlap.Core.Workflow;
using Overlap.Events;

namespace Overlap.Guard;

/// <summary>What <see cref="OverlapGuard.Decide(IReadOnlyDictionary{string, object?}, double, string?)"/> decided, the route it took and why.</summary>
public sealed record GuardDecision
{
    /// <summary>The decision.</summary>
    public required GuardOutcome Outcome { get; init; }

    /// <summary>For <see cref="GuardOutcome.Positive"/> and <see cref="GuardOutcome.Negative"/>, the contract's label (such as spam); else null.</summary>
    public string? Label { get; init; }

    /// <summary>The model's score, when the input was scored.</summary>
    public double? Score { get; init; }

    /// <summary>What the workflow did, as logged with the prediction: route, attempts, failed checks, reason.</summary>
    public required WorkflowTrace Trace { get; init; }

    /// <summary>The expectations the input failed, with their messages; empty when none.</summary>
    public IReadOnlyList<GuardFailure> Failures { get; init; } = [];

    /// <summary>For <see cref="GuardOutcome.Fallback"/>, the contract's fallback name the application runs.</summary>
    public string? Fallback { get; init; }

    /// <summary>For <see cref="GuardOutcome.Escalate"/>, the case's priority in the review queue.</summary>
    public string? Priority { get; init; }

    /// <summary>The id of the prediction logged for the call (for outcomes and feedback).</summary>
    public required string PredictionId { get; init; }

    /// <summary>The route taken: one of <see cref="WorkflowRoutes.All"/>.</summary>
    public string Route => Trace.Route;

    /// <summary>Why the route was taken, in the contract's words; null for a plain decision.</summary>
    public string? Reason => Trace.Reason;

    /// <summary>True when the application may act on <see cref="Label"/> without a person.</summary>
    public bool Decided => Outcome is GuardOutcome.Positive or GuardOutcome.Negative;
}
