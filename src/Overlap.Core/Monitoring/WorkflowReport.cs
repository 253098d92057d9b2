using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>
/// What the contract's workflow did in one window, from the traces its guard logged with each call: the routes taken,
/// the workflow rates with their intervals overall and per segment, the checks that failed most, the contract's
/// requirements on these rates judged, and statements in the contract's words. Null on a window with no guarded call.
/// </summary>
public sealed record WorkflowReport
{
    /// <summary>Calls a guard ran (predictions with a workflow trace).</summary>
    public required long Guarded { get; init; }

    /// <summary>Calls per route, every route in the documented order (0 for a route none took).</summary>
    public required IReadOnlyDictionary<string, long> Routes { get; init; }

    /// <summary>Calls the model was asked more than once (the count behind <c>retry_rate</c>).</summary>
    public long Retried { get; init; }

    /// <summary>The attempts of every call, summed (with <see cref="AttemptSquares"/>, what windows merge by).</summary>
    public long Attempts { get; init; }

    /// <summary>The squares of every call's attempts, summed.</summary>
    public long AttemptSquares { get; init; }

    /// <summary>
    /// The workflow metrics (<c>retry_rate</c>, <c>fallback_rate</c>, <c>escalation_rate</c>, <c>abstention_rate</c>,
    /// <c>rejection_rate</c>, <c>passed_after_retry_rate</c> with Wilson intervals; <c>attempts_per_call</c> with a t interval).
    /// </summary>
    public required IReadOnlyDictionary<string, MetricValue> Metrics { get; init; }

    /// <summary>Per segment column, per value: its guarded calls, routes and metrics.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, WorkflowSegment>> Segments { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, WorkflowSegment>>();

    /// <summary>The checks that failed on the way, most calls first.</summary>
    public IReadOnlyList<FailedCheckCount> FailedChecks { get; init; } = [];

    /// <summary>The contract's requirements on workflow metrics, judged on this window.</summary>
    public IReadOnlyList<RequirementResult> Requirements { get; init; } = [];

    /// <summary>What the figures say, in the contract's words.</summary>
    public IReadOnlyList<string> Statements { get; init; } = [];
}

/// <summary>The guarded calls of one segment value: how many, per route, and their workflow metrics.</summary>
public sealed record WorkflowSegment
{
    /// <summary>Calls a guard ran with this value.</summary>
    public required long Guarded { get; init; }

    /// <summary>Calls per route (every route, 0 for none).</summary>
    public required IReadOnlyDictionary<string, long> Routes { get; init; }

    /// <summary>The workflow metrics over these calls.</summary>
    public required IReadOnlyDictionary<string, MetricValue> Metrics { get; init; }

    /// <summary>Calls asked more than once; null in reports stored before segments kept it (they do not merge).</summary>
    public long? Retried { get; init; }

    /// <summary>The attempts of these calls, summed; null in reports stored before segments kept it.</summary>
    public long? Attempts { get; init; }

    /// <summary>The squares of these calls' attempts, summed; null in reports stored before segments kept it.</summary>
    public long? AttemptSquares { get; init; }
}

/// <summary>
/// A check that failed in a window's guarded calls: the calls it failed in (once per call), and of those the ones that
/// then passed on a retry, as a share with its Wilson interval.
/// </summary>
public sealed record FailedCheckCount
{
    /// <summary>The check's name, as the guard logged it.</summary>
    public required string Check { get; init; }

    /// <summary>Guarded calls in which it failed at least once.</summary>
    public required long Calls { get; init; }

    /// <summary>Of those, the calls whose output then passed on a retry (route retry).</summary>
    public required long PassedAfterRetry { get; init; }

    /// <summary><see cref="PassedAfterRetry"/> over <see cref="Calls"/>, with its Wilson interval.</summary>
    public required MetricValue PassedShare { get; init; }
}
