using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>
/// Turns a window (or a range and its last window) into check states: each requirement by its verdict (pass → ok,
/// inconclusive → warning, fail → alert once the data judged has <c>min_samples</c> labelled examples, warning before),
/// and the data set's drift (dataset drift → alert, a drifted column → warning). Without labels, or without a
/// reference, a check stays at no data. Each check says which data it judged (from, to).
/// </summary>
public static class AlertRules
{
    /// <summary>The name of the drift check.</summary>
    public const string DriftCheck = "data drift";

    /// <summary>A requirement's stable name: metric, segment column, bound and bar.</summary>
    public static string Name(Requirement requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        var by = requirement.By is null ? string.Empty : $" by {requirement.By}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{requirement.Metric}{by} {requirement.BoundKey} {requirement.Value}"
        );
    }

    /// <summary>Every check of a window, requirements in contract order, then drift; all judged on the window.</summary>
    public static IReadOnlyList<CheckResult> Evaluate(Contract contract, WindowReport window)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(window);
        return
        [
            .. Requirements(
                contract,
                window.Evaluation,
                window.FairnessWithoutLabels,
                window.Workflow,
                window.Predictions,
                window.Labelled,
                window.Start,
                window.End,
                "this window"
            ),
            Drift(window),
        ];
    }

    /// <summary>
    /// Every check, requirements judged on <paramref name="range"/> (the same merged days the overview and the feature
    /// page judge, so a requirement that misses there alerts here) and drift on <paramref name="window"/>, the range's
    /// last window. <c>min_samples</c> counts the range's labelled examples.
    /// </summary>
    public static IReadOnlyList<CheckResult> Evaluate(Contract contract, RangeReport range, WindowReport window)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(window);
        if (range.Evaluation is null && range.Generative is { } generative)
        {
            return [.. Generative(contract, range, generative, range.Workflow), Drift(window)];
        }
        return
        [
            .. Requirements(
                contract,
                range.Evaluation,
                range.FairnessWithoutLabels,
                range.Workflow,
                range.Predictions,
                range.Labelled,
                range.From,
                range.To,
                "the days judged"
            ),
            Drift(window),
        ];
    }

    /// <summary>
    /// A generative range's requirements: each overall rate (acceptable_rate, a check's or criterion's pass rate, a
    /// feedback rate) judged on the range's summed counts, as the overview shows them; <c>min_samples</c> counts the
    /// outputs behind that rate. Means, percentiles and requirements by segment do not add up across windows, so they
    /// are not alerted on (no data, said so).
    /// </summary>
    private static IEnumerable<CheckResult> Generative(
        Contract contract,
        RangeReport range,
        GenerativeRange generative,
        WorkflowReport? workflow
    )
    {
        var minSamples = contract.Monitoring?.MinSamples ?? 200;
        var noSegments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(StringComparer.Ordinal);
        foreach (var requirement in contract.Requirements)
        {
            var name = Name(requirement);
            if (
                Workflow(contract, requirement, workflow, minSamples, range.From, range.To, "the days judged") is
                { } guarded
            )
            {
                yield return guarded;
                continue;
            }
            if (requirement.By is not null || !generative.Rates.TryGetValue(requirement.Metric, out var rate))
            {
                yield return new CheckResult(
                    name,
                    AlertState.NoData,
                    generative.Outputs == 0
                        ? "No outputs in the days judged."
                        : $"{requirement.Metric}{(requirement.By is null ? "" : " by " + requirement.By)} is read per window, not over the days judged; see the feature page.",
                    range.From,
                    range.To
                );
                continue;
            }
            var judged = RequirementJudge.Judge(requirement, contract, generative.Rates, rate.N, noSegments);
            var (state, statement) = State(judged, rate.N, minSamples, "outputs with a result");
            yield return new CheckResult(name, state, statement, range.From, range.To);
        }
    }

    /// <summary>Each requirement by its verdict on the evaluation of the data from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static IEnumerable<CheckResult> Requirements(
        Contract contract,
        EvaluationReport? evaluation,
        Fairness.UnlabelledFairness? unlabelled,
        WorkflowReport? workflow,
        long predictions,
        long labelled,
        DateTimeOffset from,
        DateTimeOffset to,
        string span
    )
    {
        var minSamples = contract.Monitoring?.MinSamples ?? 200;
        for (var i = 0; i < contract.Requirements.Count; i++)
        {
            var name = Name(contract.Requirements[i]);
            if (Workflow(contract, contract.Requirements[i], workflow, minSamples, from, to, span) is { } guarded)
            {
                yield return guarded;
                continue;
            }
            var judged = evaluation?.Requirements.Count > i ? evaluation.Requirements[i] : null;
            var (state, statement) = judged is null
                ? (AlertState.NoData, predictions == 0 ? $"No predictions in {span}." : $"No labels for {span} yet.")
                : State(judged, labelled, minSamples, "labelled examples");
            yield return new CheckResult(name, state, statement, from, to);
        }
        // The fairness bars follow the contract's requirements in the evaluation, in the fairness section's order.
        foreach (var requirement in contract.Fairness?.Requirements ?? [])
        {
            var by = FairnessPolicy.Name(requirement.By);
            var name = string.Create(
                CultureInfo.InvariantCulture,
                $"{requirement.Metric} by {by} {(requirement.Bound == Bound.Min ? "min" : "max")} {requirement.Value}"
            );
            // Without labels, the bars judged on the selection rates of every prediction (the others undefined).
            var judged = (
                evaluation?.Requirements.Skip(contract.Requirements.Count) ?? unlabelled?.Requirements
            )?.FirstOrDefault(r => r.Metric == requirement.Metric && r.By == by);
            var (state, statement) =
                judged is null
                    ? (
                        AlertState.NoData,
                        predictions == 0 ? $"No predictions in {span}." : $"No labels for {span} yet."
                    )
                : evaluation is null ? State(judged, predictions, minSamples, "predictions")
                : State(judged, labelled, minSamples, "labelled examples");
            yield return new CheckResult(name, state, statement, from, to);
        }
    }

    /// <summary>
    /// A requirement on a workflow metric, judged on the guard's calls whether or not any has a label (the figures need
    /// none): by its verdict in <paramref name="workflow"/>, an alert once <c>min_samples</c> calls were guarded. Null
    /// for a requirement on another metric.
    /// </summary>
    private static CheckResult? Workflow(
        Contract contract,
        Requirement requirement,
        WorkflowReport? workflow,
        int minSamples,
        DateTimeOffset from,
        DateTimeOffset to,
        string span
    )
    {
        if (MetricCatalog.Find(requirement.Metric)?.OnWorkflow != true)
        {
            return null;
        }
        var name = Name(requirement);
        // The report judges the contract's workflow requirements in contract order.
        var index = contract
            .Requirements.Where(r => MetricCatalog.Find(r.Metric)?.OnWorkflow == true)
            .ToList()
            .IndexOf(requirement);
        if (workflow is null || index < 0 || index >= workflow.Requirements.Count)
        {
            return new CheckResult(
                name,
                AlertState.NoData,
                $"No call went through the contract's guard in {span}.",
                from,
                to
            );
        }
        var (state, statement) = State(workflow.Requirements[index], workflow.Guarded, minSamples, "guarded calls");
        return new CheckResult(name, state, statement, from, to);
    }

    /// <summary>
    /// A judged requirement's state: pass ok, inconclusive a warning, a miss an alert once <paramref name="count"/>
    /// (the <paramref name="noun"/> behind it) reaches <paramref name="minSamples"/> and a warning that says so before.
    /// </summary>
    private static (AlertState State, string Statement) State(
        RequirementResult judged,
        long count,
        int minSamples,
        string noun
    ) =>
        judged.Verdict switch
        {
            Verdict.Skipped => (AlertState.NoData, judged.Statement),
            Verdict.Pass => (AlertState.Ok, judged.Statement),
            Verdict.Inconclusive => (AlertState.Warning, judged.Statement),
            _ when count >= minSamples => (AlertState.Alert, judged.Statement),
            _ => (
                AlertState.Warning,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{judged.Statement} (only {count} {noun}; an alert needs {minSamples})"
                )
            ),
        };

    /// <summary>The window's drift as a check.</summary>
    private static CheckResult Drift(WindowReport window) =>
        window.Drift switch
        {
            null => new CheckResult(
                DriftCheck,
                AlertState.NoData,
                "No reference to compare with, or no predictions in this window.",
                window.Start,
                window.End
            ),
            { DatasetDrift: true } d => new CheckResult(
                DriftCheck,
                AlertState.Alert,
                d.Statements[0],
                window.Start,
                window.End
            ),
            { } d when d.Columns.Any(c => c.Drift) => new CheckResult(
                DriftCheck,
                AlertState.Warning,
                d.Statements[0],
                window.Start,
                window.End
            ),
            { } d => new CheckResult(DriftCheck, AlertState.Ok, d.Statements[0], window.Start, window.End),
        };
}
