using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Statements;
using Overlap.Core.Usage;

namespace Overlap.Server.Monitoring.Usage;

/// <summary>The usage page's cells: counts, shares with their intervals, means, and the cost of mistakes.</summary>
internal static class UsageView
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What one prediction is called: an output for a generative feature, else an example.</summary>
    public static string Noun(Contract contract) =>
        contract.Task == TaskKind.Generative ? contract.Words.Output : contract.Words.Example;

    /// <summary>The positive label of a binary contract (what "flagged" counts), else null.</summary>
    public static string? Positive(Contract contract) =>
        contract.Task == TaskKind.Binary ? contract.Labels.Positive ?? "1" : null;

    public static string Count(long n) => n.ToString("#,0", Inv);

    /// <summary>"thumbs_down" → "Thumbs down".</summary>
    public static string Feedback(string kind) => Phrasing.Capitalize(kind.Replace('_', ' '));

    /// <summary>"7% (5% to 9.6%)", or "—" when nothing was counted.</summary>
    public static string Share(ShareFigure share) =>
        share.Value is { } v
            ? share is { Low: { } low, High: { } high }
                ? $"{Phrasing.Percent(v)} ({Phrasing.Percent(low)} to {Phrasing.Percent(high)})"
                : Phrasing.Percent(v)
            : "—";

    /// <summary>"8.109 (6.589 to 9.629)", or "—" when nothing was counted.</summary>
    public static string Mean(MeanFigure mean) =>
        mean.Value is { } v
            ? mean is { Low: { } low, High: { } high }
                ? $"{Phrasing.Number(v)} ({Phrasing.Number(low)} to {Phrasing.Number(high)})"
                : Phrasing.Number(v)
            : "—";

    /// <summary>"20 + 9 of 93: 305 USD", or "no label yet".</summary>
    public static string Errors(Contract contract, long predictions, ErrorCost errors) =>
        predictions == 0 ? "—"
        : errors.Labelled == 0 ? "no label yet"
        : contract.Costs.Given
            ? $"{errors.FalsePositives} wrongly {contract.Words.Action}, {errors.FalseNegatives} missed of {Count(errors.Labelled)}: {Phrasing.Number(errors.Cost)} {errors.Currency}"
        : $"{errors.FalsePositives} wrongly {contract.Words.Action}, {errors.FalseNegatives} missed of {Count(errors.Labelled)}";

    /// <summary>A cohort cell's background: darker for a larger share.</summary>
    public static string Shade(double share) =>
        string.Create(Inv, $"background-color: rgba(25, 118, 210, {Math.Clamp(share, 0, 1) * 0.85 + 0.05:0.00})");
}
