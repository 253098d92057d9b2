using System.Globalization;

namespace Overlap.Core.Evaluation;

/// <summary>
/// Which requirement decided an evaluation's verdict, in one line a reader can act on:
/// "fail: false_positive_rate 0.12 above the bar 0.05". A fail is decided by every failing requirement, an
/// inconclusive verdict by every unsettled one, a pass by all of them.
/// </summary>
public static class VerdictReason
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The deciding requirements of <paramref name="evaluation"/>; null when it judged none.</summary>
    public static string? Of(EvaluationReport evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var judged = evaluation.Requirements.Where(r => r.Verdict != Verdict.Skipped).ToList();
        if (judged.Count == 0)
        {
            return null;
        }
        if (evaluation.Verdict == Verdict.Pass)
        {
            return judged.Count == 1
                ? $"pass: {Bar(judged[0])} met"
                : string.Create(Inv, $"pass: all {judged.Count} requirements met");
        }
        var deciding = judged.Where(r => r.Verdict == evaluation.Verdict).Select(Reason);
        return $"{(evaluation.Verdict == Verdict.Fail ? "fail" : "inconclusive")}: {string.Join("; ", deciding)}";
    }

    /// <summary>"false_positive_rate 0.12 (0.1 to 0.14) above the bar 0.05", "recall gap for region = north 0.15 (…) above the allowed gap 0.1".</summary>
    public static string Reason(RequirementResult requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        var gap = requirement.MaxGap is not null;
        var metric = gap ? requirement.Metric + " gap" : requirement.Metric;
        var what =
            requirement.Segment is { } s ? $"{metric} for {requirement.By} = {s}"
            : requirement.By is { } by ? $"{metric} by {by}"
            : metric;
        if (requirement.Value is not { } v)
        {
            return $"{what} has no value ({requirement.Reason ?? "nothing to measure it on"})";
        }
        var bar = requirement.Min ?? requirement.Max ?? requirement.MaxGap ?? double.NaN;
        var side =
            requirement.Verdict != Verdict.Fail ? "too close to"
            : requirement.Min is not null ? "below"
            : "above";
        var interval = requirement is { CiLow: { } low, CiHigh: { } high }
            ? $" ({Number(low)} to {Number(high)})"
            : string.Empty;
        var tail = requirement.Verdict == Verdict.Fail ? string.Empty : " to tell";
        return $"{what} {Number(v)}{interval} {side} {(gap ? "the allowed gap" : "the bar")} {Number(bar)}{tail}";
    }

    private static string Bar(RequirementResult r) =>
        r switch
        {
            { Min: { } min } => $"{r.Metric} min {Number(min)}",
            { Max: { } max } => $"{r.Metric} max {Number(max)}",
            { MaxGap: { } gap } => $"{r.Metric} max_gap {Number(gap)}",
            _ => r.Metric,
        };

    private static string Number(double value) => value.ToString("0.###", Inv);
}
