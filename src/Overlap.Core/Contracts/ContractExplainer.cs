using System.Globalization;
using System.Text;
using Overlap.Core.Statements;

namespace Overlap.Core.Contracts;

/// <summary>Writes a contract out as plain English for a stakeholder who does not read YAML.</summary>
public static partial class ContractExplainer
{
    /// <summary>The contract as paragraphs of plain text.</summary>
    public static string Explain(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var inv = CultureInfo.InvariantCulture;
        var w = contract.Words;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"{contract.Feature}");
        if (contract.Description is not null)
        {
            sb.AppendLine(contract.Description);
        }
        if (contract.Owners.Count > 0)
        {
            sb.AppendLine(inv, $"Owners: {string.Join(", ", contract.Owners.Select(o => $"{o.Key} {o.Value}"))}.");
        }
        sb.AppendLine();
        sb.AppendLine("What it does");
        switch (contract.Task)
        {
            case TaskKind.Binary:
                var rule = contract.OptimizeThreshold
                    ? "at the score threshold with the lowest expected cost on the evaluation data"
                    : $"when that score is {Phrasing.Number(contract.Threshold)} or more";
                sb.AppendLine(
                    inv,
                    $"  For each {w.Example} the model gives the chance that it is a {w.Positive}; the {w.Example} is {w.Action} {rule}."
                );
                break;
            case TaskKind.Multiclass:
                sb.AppendLine(
                    inv,
                    $"  For each {w.Example} the model picks one of: {string.Join(", ", contract.Labels.Classes)}."
                );
                break;
            case TaskKind.Generative:
                var spec = contract.Generative!;
                sb.AppendLine(
                    inv,
                    $"  For each {w.Example} the feature writes a {w.Output} (column '{contract.Columns.Output}'). Every {w.Output} is checked: {(spec.Checks.Count == 0 ? "no checks" : string.Join("; ", spec.Checks.Select(c => $"{c.Name} ({c.KindKey})")))}."
                );
                foreach (var r in spec.Rubric)
                {
                    var scale =
                        r.Scale == Generative.RubricScale.PassFail ? "pass or fail" : $"1 to 5, passing at {r.PassAt}";
                    sb.AppendLine(inv, $"  People grade {r.Name}: \"{r.Question}\" ({scale}).");
                }
                sb.AppendLine(
                    inv,
                    $"  A {w.Output} is acceptable when it passes {(spec.Acceptable is null ? "every check and criterion" : string.Join(", ", spec.Acceptable))}."
                );
                break;
            default:
                sb.AppendLine(
                    inv,
                    $"  For each {w.Example} the model predicts a number (column '{contract.Columns.Prediction}')."
                );
                break;
        }
        sb.AppendLine();
        var confidence = Phrasing.Confidence(contract.Confidence);
        sb.AppendLine(inv, $"What we promise (judged at {confidence} confidence)");
        if (contract.Requirements.Count == 0)
        {
            sb.AppendLine("  Nothing yet: the contract lists no requirements.");
        }
        foreach (var r in contract.Requirements)
        {
            var production =
                MetricCatalog.Find(r.Metric)?.ProductionOnly == true ? " Checked on production traffic." : string.Empty;
            sb.AppendLine(inv, $"  - {Phrasing.Promise(r, w)}{production}");
        }
        sb.AppendLine(
            inv,
            $"  A promise counts as kept only when the whole {confidence} interval clears the bar, and as broken only when the whole interval misses it; otherwise the answer is \"not enough data yet\", with how many more labelled {Phrasing.Plural(w.Example)} would settle it."
        );
        if (contract.Fairness is { } fairness)
        {
            sb.AppendLine();
            sb.AppendLine("Fairness between groups");
            sb.AppendLine(
                inv,
                $"  Decisions are compared between the groups of {string.Join(", ", fairness.Groupings().Select(FairnessPolicy.Name))}; a bar is judged only when every group has at least {fairness.MinGroupSize:#,0} {Phrasing.Plural(w.Example)} behind the rate it compares."
            );
            foreach (var r in fairness.Requirements)
            {
                sb.AppendLine(inv, $"  - {FairnessPromise(r, w)}");
            }
        }
        if (contract.Task == TaskKind.Binary)
        {
            sb.AppendLine();
            sb.AppendLine("What errors cost");
            var c = contract.Costs;
            if (!c.Given)
            {
                sb.AppendLine(
                    "  Not written down: both kinds of error count the same. Add 'costs' so overlap can find the cheapest threshold."
                );
            }
            else
            {
                sb.AppendLine(
                    inv,
                    $"  A {w.Negative} {w.Action} by mistake costs {Phrasing.Number(c.FalsePositive)} {c.Currency}; a missed {w.Positive} costs {Phrasing.Number(c.FalseNegative)} {c.Currency}."
                );
                if (c.FalsePositive > 0 && c.FalseNegative > 0)
                {
                    var ratio = c.FalsePositive / c.FalseNegative;
                    sb.AppendLine(
                        ratio >= 1
                            ? string.Create(
                                inv,
                                $"  One false alarm costs as much as {Phrasing.Number(ratio)} missed {Phrasing.Plural(w.Positive)}."
                            )
                            : string.Create(
                                inv,
                                $"  One missed {w.Positive} costs as much as {Phrasing.Number(1 / ratio)} false alarms."
                            )
                    );
                }
            }
        }
        if (contract.Monitoring is { } m)
        {
            sb.AppendLine();
            sb.AppendLine("In production");
            sb.AppendLine(
                inv,
                $"  Judged every {(m.Window == TimeSpan.FromDays(1) ? "day" : Duration(m.Window))}, on windows with at least {m.MinSamples} labelled {Phrasing.Plural(w.Example)} before a verdict can raise an alert."
            );
            if (m.Reference is { } r)
            {
                sb.AppendLine(
                    r.Data is not null
                        ? string.Create(inv, $"  Inputs are compared for drift with the reference data in {r.Data}.")
                        : string.Create(
                            inv,
                            $"  Inputs are compared for drift with the reference period {r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}."
                        )
                );
            }
            if (m.LabelDelay is { } delay)
            {
                sb.AppendLine(
                    inv,
                    $"  True labels arrive within {Duration(delay)}; until then performance is estimated from the model's scores."
                );
            }
            if (m.RetrainWhen is { } rw)
            {
                var reasons = new List<string>();
                if (rw.FailedWindows is { } f)
                {
                    reasons.Add($"{f} windows in a row fail a promise");
                }
                if (rw.DriftedWindows is { } d)
                {
                    reasons.Add($"{d} windows in a row show drifted inputs");
                }
                sb.AppendLine(inv, $"  Retraining is recommended when {string.Join(" or ", reasons)}.");
            }
            if (m.AlertWebhooks.Count > 0)
            {
                sb.AppendLine(
                    inv,
                    $"  Alerts go to {m.AlertWebhooks.Count} webhook{(m.AlertWebhooks.Count == 1 ? string.Empty : "s")}."
                );
            }
        }
        if (contract.Review is { } review)
        {
            sb.AppendLine();
            sb.AppendLine("People in the loop");
            var parts = new List<string>();
            if (review.When != "random sample only")
            {
                parts.Add(
                    $"{Phrasing.Plural(w.Example)} whose {review.When.Replace("score", "score is", StringComparison.Ordinal)} go to a person"
                );
            }
            if (review.Sample > 0)
            {
                parts.Add(
                    $"{Phrasing.Percent(review.Sample)} of all {Phrasing.Plural(w.Example)} are picked at random for review, so the labels are not biased toward hard cases"
                );
            }
            sb.AppendLine(inv, $"  {Phrasing.Capitalize(string.Join("; ", parts))}.");
            if (review.SecondOpinion > 0)
            {
                sb.AppendLine(
                    inv,
                    $"  {Phrasing.Capitalize(Phrasing.Percent(review.SecondOpinion))} of the cases sent to a person get a second reviewer, to measure how far reviewers agree; when the two disagree, the case is escalated."
                );
            }
            if (review.EscalateAfter is { } esc)
            {
                sb.AppendLine(inv, $"  A case waiting longer than {Duration(esc)} is escalated.");
            }
            if (review.FailureCategories.Count > 0)
            {
                sb.AppendLine(inv, $"  Reviewers file failures as: {string.Join(", ", review.FailureCategories)}.");
            }
        }
        if (contract.Workflow is { } workflow)
        {
            sb.AppendLine();
            sb.AppendLine("When a call falls short (enforced as it happens)");
            foreach (var line in WorkflowLines(contract, workflow))
            {
                sb.AppendLine(inv, $"  {line}");
            }
        }
        return sb.ToString();
    }

    /// <summary>A duration in words: 1d → "day", 7d → "7 days", 24h → "24 hours".</summary>
    public static string Duration(TimeSpan span)
    {
        var inv = CultureInfo.InvariantCulture;
        if (span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays))
        {
            return span.TotalDays == 1 ? "1 day" : string.Create(inv, $"{span.TotalDays} days");
        }
        if (span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours))
        {
            return span.TotalHours == 1 ? "1 hour" : string.Create(inv, $"{span.TotalHours} hours");
        }
        return string.Create(inv, $"{span.TotalMinutes} minutes");
    }

    /// <summary>A fairness bar as a promise: "Between the groups of sex, the least-flagged is flagged at least 0.8 times as often as the most-flagged (the four-fifths rule)."</summary>
    private static string FairnessPromise(FairnessRequirement r, ContractWords w)
    {
        var by = FairnessPolicy.Name(r.By);
        var bound = r.Bound == Bound.Min ? "at least" : "at most";
        var bar = Phrasing.Number(r.Value);
        return r.Metric switch
        {
            "selection_rate_ratio" =>
                $"Between the groups of {by}, the least {w.Action} group is {w.Action} {bound} {bar} times as often as the most {w.Action}{(r.Bound == Bound.Min && Math.Abs(r.Value - 0.8) < 1e-12 ? " (the four-fifths rule)" : string.Empty)}.",
            "selection_rate_difference" =>
                $"Between the groups of {by}, the shares {w.Action} differ by {bound} {bar}.",
            "equal_opportunity_difference" =>
                $"Between the groups of {by}, the shares of {Phrasing.Plural(w.Positive)} {w.Action} differ by {bound} {bar}.",
            "false_positive_rate_difference" =>
                $"Between the groups of {by}, the shares of {Phrasing.Plural(w.Negative)} {w.Action} by mistake differ by {bound} {bar}.",
            "equalized_odds_difference" =>
                $"Between the groups of {by}, the larger of the gaps in the shares of {Phrasing.Plural(w.Positive)} and of {Phrasing.Plural(w.Negative)} {w.Action} is {bound} {bar}.",
            _ => $"Between the groups of {by}, the calibration errors of the scores differ by {bound} {bar}.",
        };
    }
}
