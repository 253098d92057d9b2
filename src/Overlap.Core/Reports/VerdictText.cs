using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

/// <summary>Verdict words for people.</summary>
public static class VerdictText
{
    /// <summary>"pass", "fail", "inconclusive" or "skipped".</summary>
    public static string Word(Verdict verdict) => verdict.ToString().ToLowerInvariant();

    /// <summary>A short headline: "PASS", "FAIL", "NOT ENOUGH DATA YET", "NOT JUDGED OFFLINE".</summary>
    public static string Headline(Verdict verdict) =>
        verdict switch
        {
            Verdict.Pass => "PASS",
            Verdict.Fail => "FAIL",
            Verdict.Inconclusive => "NOT ENOUGH DATA YET",
            _ => "NOT JUDGED HERE",
        };

    /// <summary>An emoji-free symbol for Markdown tables.</summary>
    public static string Mark(Verdict verdict) =>
        verdict switch
        {
            Verdict.Pass => "✅ pass",
            Verdict.Fail => "❌ fail",
            Verdict.Inconclusive => "⚠️ inconclusive",
            _ => "➖ skipped",
        };

    /// <summary>A requirement's bar as "recall ≥ 0.9", "false_positive_rate ≤ 0.05", "recall gap ≤ 0.1 by region".</summary>
    public static string Bar(RequirementResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var by = r.By is null ? string.Empty : $" by {r.By}";
        if (r.Min is { } min)
        {
            return string.Create(inv, $"{r.Metric}{by} ≥ {min}");
        }
        if (r.Max is { } max)
        {
            return string.Create(inv, $"{r.Metric}{by} ≤ {max}");
        }
        return string.Create(inv, $"{r.Metric} gap{by} ≤ {r.MaxGap}");
    }
}
