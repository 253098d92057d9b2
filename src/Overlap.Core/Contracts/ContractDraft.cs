using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Overlap.Core.Contracts;

/// <summary>
/// The answers <c>overlap contract init</c> gathered (from flags, questions or the data's column names), written out
/// as a commented <c>overlap.yaml</c> that <see cref="ContractParser"/> accepts.
/// </summary>
public sealed partial record ContractDraft
{
    /// <summary>The feature's slug.</summary>
    public required string Feature { get; init; }

    /// <summary>The task.</summary>
    public required TaskKind Task { get; init; }

    /// <summary>The column with the true outcome.</summary>
    public required string Label { get; init; }

    /// <summary>The score column (binary), or null.</summary>
    public string? Score { get; init; }

    /// <summary>The prediction column, or null (required for multiclass and regression).</summary>
    public string? Prediction { get; init; }

    /// <summary>The id column, or null.</summary>
    public string? Id { get; init; }

    /// <summary>The time column, or null.</summary>
    public string? Time { get; init; }

    /// <summary>The positive label value (binary).</summary>
    public string? Positive { get; init; }

    /// <summary>The negative label value (binary).</summary>
    public string? Negative { get; init; }

    /// <summary>The classes (multiclass).</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <summary>Segment columns to break figures down by.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>Columns that could be segments, offered in a comment.</summary>
    public IReadOnlyList<string> SegmentCandidates { get; init; } = [];

    /// <summary>The data file the draft was made from, named in the header comment.</summary>
    public string? DataFile { get; init; }

    /// <summary>The contract's text: every key commented, starting bars marked as placeholders.</summary>
    public string ToYaml()
    {
        var y = new StringBuilder();
        y.AppendLine("# overlap.yaml: what \"good enough\" means for this feature (every key: docs/contract.md).");
        if (DataFile is not null)
        {
            y.AppendLine(
                CultureInfo.InvariantCulture,
                $"# Drafted by 'overlap contract init' from {DataFile}; check each line, then run 'overlap contract validate'."
            );
        }
        y.AppendLine(
            CultureInfo.InvariantCulture,
            $"feature: {Feature}            # lowercase letters, digits and dashes"
        );
        y.AppendLine("description: What this feature does, in one sentence a stakeholder understands.");
        y.AppendLine(
            CultureInfo.InvariantCulture,
            $"task: {Task.ToString().ToLowerInvariant()}               # binary | multiclass | regression"
        );
        switch (Task)
        {
            case TaskKind.Binary:
                y.AppendLine("# The label value of the case the model should catch, and of the other case.");
                y.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"labels: {{ positive: {Quote(Positive!)}, negative: {Quote(Negative!)} }}"
                );
                break;
            case TaskKind.Multiclass:
                y.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"labels: {{ classes: [{string.Join(", ", Classes.Select(Quote))}] }}"
                );
                break;
        }
        y.AppendLine("columns:");
        Column(y, "id", Id, "one id per row, used to pair runs and join labels");
        Column(y, "time", Time, "when the prediction was made");
        Column(y, "label", Label, "the true outcome");
        Column(y, "score", Score, "the model's probability of the positive label");
        Column(
            y,
            "prediction",
            Prediction,
            Task == TaskKind.Binary ? "the model's decision (default: score >= threshold)" : "the model's output"
        );
        if (Segments.Count > 0)
        {
            y.AppendLine(
                CultureInfo.InvariantCulture,
                $"  segments: [{string.Join(", ", Segments.Select(Quote))}]   # figures are broken down by these"
            );
        }
        else if (SegmentCandidates.Count > 0)
        {
            y.AppendLine(
                CultureInfo.InvariantCulture,
                $"  # segments: [{string.Join(", ", SegmentCandidates.Select(Quote))}]   # break figures down by these columns"
            );
        }
        if (Task == TaskKind.Binary && Score is not null)
        {
            y.AppendLine(
                "threshold: 0.5                # score at or above which the model says positive; or 'optimize'"
            );
            y.AppendLine("# What each kind of mistake costs, so the cost-optimal threshold can be found.");
            y.AppendLine("costs: { false_positive: 1, false_negative: 1, currency: USD }");
        }
        y.AppendLine("confidence: 0.95              # every figure comes with an interval at this confidence");
        y.AppendLine(
            "# Starting bars: placeholders, set them to what the product needs. A verdict is judged on the interval."
        );
        y.AppendLine("requirements:");
        foreach (
            var line in Task switch
            {
                TaskKind.Binary => (string[])["{ metric: recall, min: 0.8 }", "{ metric: precision, min: 0.5 }"],
                TaskKind.Multiclass => ["{ metric: accuracy, min: 0.8 }", "{ metric: macro_f1, min: 0.7 }"],
                _ => ["{ metric: r2, min: 0.5 }"],
            }
        )
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  - {line}");
        }
        return y.ToString();
    }

    /// <summary>A feature slug from a folder or file name ("Payments Fraud" → payments-fraud), or null when nothing is left.</summary>
    public static string? Slug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slug = NotSlug().Replace(name.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? null : slug;
    }

    private static void Column(StringBuilder y, string key, string? column, string what)
    {
        if (column is not null)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  {key}: {Quote(column)}   # {what}");
        }
    }

    // Plain when YAML reads it back as the same text; double-quoted otherwise (numbers stay text either way in a contract).
    private static string Quote(string value) =>
        PlainSafe().IsMatch(value)
            ? value
            : "\""
                + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                + "\"";

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex PlainSafe();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
