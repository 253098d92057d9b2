using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>
/// Turns a window into check states: each requirement by its verdict (pass → ok, inconclusive → warning, fail → alert
/// once the window has <c>min_samples</c> labelled examples, warning before), and the data set's drift (dataset drift →
/// alert, a drifted column → warning). A window without labels, or without a reference, leaves its checks at no data.
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
        return string.Create(CultureInfo.InvariantCulture, $"{requirement.Metric}{by} {requirement.BoundKey} {requirement.Value}");
    }

    /// <summary>Every check of a window, requirements in contract order, then drift.</summary>
    public static IReadOnlyList<CheckResult> Evaluate(Contract contract, WindowReport window)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(window);
        var minSamples = contract.Monitoring?.MinSamples ?? 200;
        var results = new List<CheckResult>();
        for (var i = 0; i < contract.Requirements.Count; i++)
        {
            var name = Name(contract.Requirements[i]);
            var judged = window.Evaluation?.Requirements.Count > i ? window.Evaluation.Requirements[i] : null;
            results.Add(judged switch
            {
                null => new CheckResult(name, AlertState.NoData, window.Predictions == 0 ? "No predictions in this window." : "No labels for this window yet."),
                { Verdict: Verdict.Skipped } => new CheckResult(name, AlertState.NoData, judged.Statement),
                { Verdict: Verdict.Pass } => new CheckResult(name, AlertState.Ok, judged.Statement),
                { Verdict: Verdict.Inconclusive } => new CheckResult(name, AlertState.Warning, judged.Statement),
                _ when window.Labelled >= minSamples => new CheckResult(name, AlertState.Alert, judged.Statement),
                _ => new CheckResult(name, AlertState.Warning, string.Create(CultureInfo.InvariantCulture, $"{judged.Statement} (only {window.Labelled} labelled examples; an alert needs {minSamples})")),
            });
        }
        results.Add(window.Drift switch
        {
            null => new CheckResult(DriftCheck, AlertState.NoData, "No reference to compare with, or no predictions in this window."),
            { DatasetDrift: true } d => new CheckResult(DriftCheck, AlertState.Alert, d.Statements[0]),
            { } d when d.Columns.Any(c => c.Drift) => new CheckResult(DriftCheck, AlertState.Warning, d.Statements[0]),
            { } d => new CheckResult(DriftCheck, AlertState.Ok, d.Statements[0]),
        });
        return results;
    }
}
