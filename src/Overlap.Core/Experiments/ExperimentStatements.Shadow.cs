using Overlap.Core.Contracts;
using Overlap.Core.Planning;

namespace Overlap.Core.Experiments;

public static partial class ExperimentStatements
{
    /// <summary>
    /// A shadow experiment's decision: "Promote v2: in shadow, on the same 1,204 labelled emails, recall is 5 points
    /// higher …", "Do not promote v2: …; keep serving v1.", or "Keep running in shadow: …", then how many shadow
    /// predictions were left out for want of their served prediction.
    /// </summary>
    private static string ShadowDecision(ExperimentReport report, Contract contract)
    {
        var counts = report.Shadow!;
        var level = Level(report);
        var examples = Planner.Noun(PlanBasis.Examples, contract.Words, one: counts.Labelled == 1);
        var labelled = $"{counts.Labelled.ToString("#,0", Invariant)} labelled {examples}";
        var same = $"on the same {labelled}";
        var left = counts.ShadowWithoutServed switch
        {
            0 => string.Empty,
            1 => " 1 shadow prediction had no served prediction and is left out.",
            var n => $" {n.ToString("#,0", Invariant)} shadow predictions had no served prediction and are left out.",
        };
        var decision = report.Decision switch
        {
            ExperimentDecision.Rollout =>
                $"Promote {report.Treatment}: in shadow, {same}, {Better(report, level)}{Guards(report)}.",
            ExperimentDecision.Rollback when report.Reasons.SequenceEqual(["max_duration"]) =>
                $"Do not promote {report.Treatment}: after {Days(report.Elapsed.TotalDays)} in shadow it was not shown "
                    + $"to be better {same} ({Better(report, level)}); keep serving {report.Control}.",
            ExperimentDecision.Rollback =>
                $"Do not promote {report.Treatment}: in shadow, {same}, {Causes(report, level)}; keep serving "
                    + $"{report.Control}.",
            _ => Running(report, contract, "Keep running in shadow")
                + $" So far {labelled} {(counts.Labelled == 1 ? "has" : "have")} both predictions.",
        };
        return decision + left;
    }
}
