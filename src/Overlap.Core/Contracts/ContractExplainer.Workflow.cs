using System.Globalization;
using Overlap.Core.Statements;

namespace Overlap.Core.Contracts;

// The workflow section in words: what each call must meet and where it goes when it does not.
public static partial class ContractExplainer
{
    private static List<string> WorkflowLines(Contract contract, WorkflowPolicy workflow)
    {
        var w = contract.Words;
        var lines = new List<string>();
        var input = workflow.Input;
        if (!input.IsEmpty)
        {
            var parts = new List<string>();
            if (input.Required.Count > 0)
            {
                parts.Add($"{string.Join(", ", input.Required)} present");
            }
            foreach (var r in input.Ranges)
            {
                parts.Add(
                    (double.IsInfinity(r.Min), double.IsInfinity(r.Max)) switch
                    {
                        (false, false) => $"{r.Field} from {Phrasing.Number(r.Min)} to {Phrasing.Number(r.Max)}",
                        (false, true) => $"{r.Field} at least {Phrasing.Number(r.Min)}",
                        _ => $"{r.Field} at most {Phrasing.Number(r.Max)}",
                    }
                );
            }
            foreach (var c in input.Categories)
            {
                parts.Add($"{c.Field} one of {string.Join(", ", c.Allowed)}");
            }
            if (input.Text is { } t)
            {
                var length =
                    t.MaxLength == int.MaxValue ? $"at least {t.MinLength:#,0} characters"
                    : t.MinLength == 0 ? $"at most {t.MaxLength:#,0} characters"
                    : $"{t.MinLength:#,0} to {t.MaxLength:#,0} characters";
                parts.Add(
                    $"{t.Field} {(t.MinLength == 0 && t.MaxLength == int.MaxValue ? "written" : length)}{(t.Script is null ? string.Empty : $" in {t.Script} script")}"
                );
            }
            var unseen =
                input.Categories.Count > 0 && input.MaxUnseenShare > 0
                    ? $" (up to {Phrasing.Percent(input.MaxUnseenShare)} of the listed categories may hold a value not listed)"
                    : string.Empty;
            lines.Add(
                $"Before the model is asked, each {w.Example} must have {string.Join("; ", parts)}{unseen}. One that does not {Route(workflow.OnInputFailure, workflow)}."
            );
        }
        if (workflow.ChecksOutput)
        {
            var must = new List<string>();
            if (workflow.OutputChecks.Count > 0)
            {
                must.Add($"pass {string.Join(", ", workflow.OutputChecks.Select(c => c.Name))}");
            }
            if (workflow.Format is { } f)
            {
                must.Add(
                    f.SchemaPath is { } schema
                        ? $"be JSON valid against {schema}"
                        : $"be exactly one of {string.Join(", ", f.Labels)}"
                );
            }
            var then =
                workflow.OnOutputFailure == GuardRoute.Retry
                    ? string.Create(
                        CultureInfo.InvariantCulture,
                        $"is asked for again with the failure added to the prompt, up to {workflow.Retry.MaxAttempts} attempts in all, and then {Route(workflow.Retry.Then, workflow)}"
                    )
                    : Route(workflow.OnOutputFailure, workflow);
            lines.Add($"Each {w.Output} must {string.Join(" and ", must)}. One that does not {then}.");
        }
        if (workflow.Abstain is { } band)
        {
            lines.Add(
                $"Any {w.Example} whose {band.When.Replace("score", "score is", StringComparison.Ordinal)} is not decided by the model: a person decides."
            );
        }
        if (workflow.ReviewCost is { } cost)
        {
            lines.Add($"One person's review costs {Phrasing.Number(cost)} {contract.Costs.Currency}.");
        }
        lines.Add(
            workflow.FailClosed
                ? $"If the guard itself fails, the call {(workflow.Fallback is not null ? Route(GuardRoute.Fallback, workflow) : contract.Task == TaskKind.Binary && workflow.Abstain is not null ? "goes to a person" : Route(GuardRoute.Escalate, workflow))}."
                : "If the guard itself fails, the call goes on unguarded."
        );
        return lines;
    }

    private static string Route(GuardRoute route, WorkflowPolicy workflow) =>
        route switch
        {
            GuardRoute.Reject => "is refused",
            GuardRoute.Fallback => $"is answered by the application's fallback '{workflow.Fallback}'",
            GuardRoute.Retry => "is asked for again",
            _ => $"goes to a person ({workflow.Escalate.Priority} priority)",
        };
}
