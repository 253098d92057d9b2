using Overlap.Core.Evaluation;
using Overlap.Events;

namespace Overlap.Core.Monitoring;

/// <summary>
/// A window's workflow traces as they are read, chunk by chunk: the counts over every guarded call, per value of each
/// segment column (a call without a value counted under <see cref="SegmentResult.Missing"/>), and per check that failed
/// on the way, how many calls it failed in and how many of those then passed on a retry. Tallies merge by addition.
/// </summary>
public sealed class WorkflowTally
{
    private readonly Dictionary<string, Dictionary<string, WorkflowCounts>> _segments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Calls, long PassedAfterRetry)> _checks = new(StringComparer.Ordinal);
    private bool _segmentsIncomplete;

    /// <summary>The counts over every guarded call.</summary>
    public WorkflowCounts Overall { get; } = new();

    /// <summary>Per segment column, the counts per value.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, WorkflowCounts>> Segments => _segments;

    /// <summary>Per check name, the calls it failed in (once per call, however often it failed) and of those the ones that passed on a retry.</summary>
    public IReadOnlyDictionary<string, (long Calls, long PassedAfterRetry)> Checks => _checks;

    /// <summary>Counts one call (or <paramref name="count"/> alike) with its segment values (column, value; null when the call has none).</summary>
    public void Add(WorkflowTrace trace, IEnumerable<(string Column, string? Value)> segments, long count = 1)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(segments);
        Overall.Add(trace, count);
        foreach (var (column, value) in segments)
        {
            Group(column, value ?? SegmentResult.Missing).Add(trace, count);
        }
        var passed = trace.Route == WorkflowRoutes.Retry ? count : 0;
        foreach (var check in trace.FailedChecks.Distinct(StringComparer.Ordinal))
        {
            var (calls, after) = _checks.GetValueOrDefault(check);
            _checks[check] = (calls + count, after + passed);
        }
    }

    /// <summary>
    /// Adds a stored window's report: its overall counts, its segments' counts and its failed checks. A report stored
    /// before its segments kept their attempt counts leaves the merge without segments (judged overall only).
    /// </summary>
    public void Add(WorkflowReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Overall.Add(
            WorkflowCounts.Of(report.Guarded, report.Retried, report.Attempts, report.AttemptSquares, report.Routes)
        );
        var segments = report
            .Segments.SelectMany(c => c.Value.Select(v => (Column: c.Key, Name: v.Key, Segment: v.Value)))
            .ToList();
        if (_segmentsIncomplete || segments.Any(s => s.Segment.Attempts is null))
        {
            _segmentsIncomplete = true;
            _segments.Clear();
        }
        else
        {
            foreach (var (column, value, segment) in segments)
            {
                Group(column, value)
                    .Add(
                        WorkflowCounts.Of(
                            segment.Guarded,
                            segment.Retried ?? 0,
                            segment.Attempts ?? 0,
                            segment.AttemptSquares ?? 0,
                            segment.Routes
                        )
                    );
            }
        }
        foreach (var check in report.FailedChecks)
        {
            var (c, a) = _checks.GetValueOrDefault(check.Check);
            _checks[check.Check] = (c + check.Calls, a + check.PassedAfterRetry);
        }
    }

    /// <summary>Adds another tally's counts to this one.</summary>
    public void Add(WorkflowTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Overall.Add(other.Overall);
        foreach (var (column, values) in other._segments)
        {
            foreach (var (value, counts) in values)
            {
                Group(column, value).Add(counts);
            }
        }
        foreach (var (check, (calls, after)) in other._checks)
        {
            var (c, a) = _checks.GetValueOrDefault(check);
            _checks[check] = (c + calls, a + after);
        }
    }

    private WorkflowCounts Group(string column, string value)
    {
        if (!_segments.TryGetValue(column, out var values))
        {
            _segments[column] = values = new Dictionary<string, WorkflowCounts>(StringComparer.Ordinal);
        }
        if (!values.TryGetValue(value, out var counts))
        {
            values[value] = counts = new WorkflowCounts();
        }
        return counts;
    }
}
