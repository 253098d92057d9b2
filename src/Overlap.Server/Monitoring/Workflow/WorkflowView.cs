using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Statements;
using Overlap.Events;

namespace Overlap.Server.Monitoring.Workflow;

/// <summary>One window's guarded calls: how many, per route, and its rates in words ("8.8% (7.7% to 10%)").</summary>
public sealed record WorkflowWindowRow(
    DateTimeOffset Start,
    long Guarded,
    IReadOnlyDictionary<string, long> Routes,
    string Retry,
    string Fallback,
    string Escalation,
    string Abstention
);

/// <summary>A check that failed in the range: the calls it failed in, how many then passed on a retry, and that share in words.</summary>
public sealed record WorkflowCheckRow(string Check, long Calls, long PassedAfterRetry, string Share);

/// <summary>What reviewers decided on the calls one route sent them: the outcome (the label, else the decision) and how many.</summary>
public sealed record WorkflowOutcomeRow(string Route, string Outcome, long Count);

/// <summary>
/// The feature page's workflow section: the routes per window, the checks that failed most over the range, and what the
/// escalated and abstained calls became after review, each in words.
/// </summary>
public sealed class WorkflowView
{
    private WorkflowView(
        WorkflowReport range,
        IReadOnlyList<WorkflowWindowRow> windows,
        IReadOnlyList<WorkflowOutcomeRow> outcomes,
        Contract contract
    )
    {
        Range = range;
        Windows = windows;
        Checks =
        [
            .. range.FailedChecks.Select(c => new WorkflowCheckRow(
                c.Check,
                c.Calls,
                c.PassedAfterRetry,
                Rate(c.PassedShare)
            )),
        ];
        Outcomes = outcomes;
        Contract = contract;
    }

    /// <summary>The contract the figures are phrased in.</summary>
    public Contract Contract { get; }

    /// <summary>The windows' workflow merged over the range.</summary>
    public WorkflowReport Range { get; }

    /// <summary>The windows with a guarded call, oldest first.</summary>
    public IReadOnlyList<WorkflowWindowRow> Windows { get; }

    /// <summary>The checks that failed, most calls first.</summary>
    public IReadOnlyList<WorkflowCheckRow> Checks { get; }

    /// <summary>The decided escalated and abstained calls, by route and outcome, most first.</summary>
    public IReadOnlyList<WorkflowOutcomeRow> Outcomes { get; }

    /// <summary>What reviewers made of the calls sent to them, in one sentence.</summary>
    public string OutcomesStatement
    {
        get
        {
            var sent = Range.Routes[WorkflowRoutes.Escalate] + Range.Routes[WorkflowRoutes.Abstain];
            var noun = Phrasing.Plural(MetricCatalog.Guarded(Contract.Words));
            if (sent == 0)
            {
                return $"No {noun} were escalated or left to a person in these windows.";
            }
            var decided = Outcomes.Sum(o => o.Count);
            return string.Create(
                    CultureInfo.InvariantCulture,
                    $"{sent:#,0} {noun} went to people ({Range.Routes[WorkflowRoutes.Escalate]:#,0} escalated, {Range.Routes[WorkflowRoutes.Abstain]:#,0} left to a person); reviewers have decided {decided:#,0} of them"
                ) + (decided == 0 ? ", so nothing can be said yet of what they became." : ":");
        }
    }

    /// <summary>
    /// The section's data; null when no window had a guarded call. <paramref name="reviewed"/> is each decided review
    /// item the workflow sent (its reason, escalate or abstain) with what it became.
    /// </summary>
    public static WorkflowView? Of(
        Contract contract,
        MonitoringReport report,
        IReadOnlyList<(string Route, string Outcome)> reviewed
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(reviewed);
        if (WorkflowMonitor.Merge(contract, report.Windows.Select(w => w.Workflow)) is not { } range)
        {
            return null;
        }
        var windows = report
            .Windows.Where(w => w.Workflow is not null)
            .Select(w =>
            {
                var m = w.Workflow!.Metrics;
                return new WorkflowWindowRow(
                    w.Start,
                    w.Workflow.Guarded,
                    w.Workflow.Routes,
                    Rate(m["retry_rate"]),
                    Rate(m["fallback_rate"]),
                    Rate(m["escalation_rate"]),
                    Rate(m["abstention_rate"])
                );
            })
            .ToList();
        var outcomes = reviewed
            .GroupBy(r => (r.Route, r.Outcome))
            .Select(g => new WorkflowOutcomeRow(g.Key.Route, g.Key.Outcome, g.Count()))
            .OrderBy(o => o.Route, StringComparer.Ordinal)
            .ThenByDescending(o => o.Count)
            .ThenBy(o => o.Outcome, StringComparer.Ordinal)
            .ToList();
        return new WorkflowView(range, windows, outcomes, contract);
    }

    /// <summary>A share with its interval, "8.8% (7.7% to 10%)"; a dash when it has no value.</summary>
    public static string Rate(MetricValue m) =>
        double.IsNaN(m.Value) ? "–"
        : double.IsNaN(m.CiLow) ? Phrasing.Percent(m.Value)
        : $"{Phrasing.Percent(m.Value)} ({Phrasing.Percent(m.CiLow)} to {Phrasing.Percent(m.CiHigh)})";
}
