using Overlap.Events;

namespace Overlap.Core.Monitoring;

/// <summary>
/// The workflow traces of one group of guarded calls (a window, or one segment value of it), counted: calls, calls per
/// route, calls asked more than once, and the attempts' sum and sum of squares. Counts merge by addition, so a range is
/// the merge of its windows.
/// </summary>
public sealed class WorkflowCounts
{
    private readonly Dictionary<string, long> _routes = new(StringComparer.Ordinal);

    /// <summary>Calls a guard ran (those with a workflow trace).</summary>
    public long Guarded { get; private set; }

    /// <summary>Calls the model was asked more than once (attempts of 2 or more), whatever route they ended on.</summary>
    public long Retried { get; private set; }

    /// <summary>The attempts of every call, summed.</summary>
    public long Attempts { get; private set; }

    /// <summary>The squares of every call's attempts, summed (for the mean's interval).</summary>
    public long AttemptSquares { get; private set; }

    /// <summary>Calls that took <paramref name="route"/> (0 for a route none took).</summary>
    public long Route(string route) => _routes.GetValueOrDefault(route);

    /// <summary>Calls answered by the model with an output that passed: routes direct and retry.</summary>
    public long Answered => Route(WorkflowRoutes.Direct) + Route(WorkflowRoutes.Retry);

    /// <summary>Counts as a report kept them (<see cref="WorkflowReport"/>), to merge windows.</summary>
    public static WorkflowCounts Of(
        long guarded,
        long retried,
        long attempts,
        long attemptSquares,
        IReadOnlyDictionary<string, long> routes
    )
    {
        ArgumentNullException.ThrowIfNull(routes);
        var counts = new WorkflowCounts
        {
            Guarded = guarded,
            Retried = retried,
            Attempts = attempts,
            AttemptSquares = attemptSquares,
        };
        foreach (var (route, count) in routes)
        {
            counts._routes[route] = count;
        }
        return counts;
    }

    /// <summary>Counts one call, or <paramref name="count"/> alike.</summary>
    public void Add(WorkflowTrace trace, long count = 1)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Guarded += count;
        _routes[trace.Route] = Route(trace.Route) + count;
        if (trace.Attempts > 1)
        {
            Retried += count;
        }
        Attempts += count * trace.Attempts;
        AttemptSquares += count * trace.Attempts * trace.Attempts;
    }

    /// <summary>Adds another group's counts to these.</summary>
    public void Add(WorkflowCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Guarded += other.Guarded;
        Retried += other.Retried;
        Attempts += other.Attempts;
        AttemptSquares += other.AttemptSquares;
        foreach (var (route, count) in other._routes)
        {
            _routes[route] = Route(route) + count;
        }
    }
}
