namespace Overlap.Core.Fairness;

/// <summary>
/// One disparity measure a contract's <c>fairness:</c> requirements may name: which per-group rate it compares and
/// whether as the ratio of the lowest to the highest group or as the difference between them (Fairlearn's
/// <c>MetricFrame.ratio()</c> and <c>.difference()</c> with <c>method="between_groups"</c>).
/// </summary>
/// <param name="Name">The name a contract writes, such as <c>selection_rate_ratio</c>.</param>
/// <param name="Rates">The per-group rates compared; with two, the measure is the larger of their differences (equalized odds).</param>
/// <param name="IsRatio">True for min ÷ max over groups (1 is parity), false for max − min (0 is parity).</param>
/// <param name="Fairlearn">The Fairlearn function it equals, for the docs and the reference script.</param>
public sealed record FairnessMeasure(string Name, IReadOnlyList<GroupRate> Rates, bool IsRatio, string Fairlearn)
{
    /// <summary>Whether the measure reads the model's score (the calibration gap).</summary>
    public bool NeedsScore => Rates.Contains(GroupRate.CalibrationError);

    /// <summary>Every measure, in report order; the index is the measure's slot in the bootstrap.</summary>
    public static IReadOnlyList<FairnessMeasure> All { get; } =
    [
        new("selection_rate_ratio", [GroupRate.SelectionRate], true, "demographic_parity_ratio"),
        new("selection_rate_difference", [GroupRate.SelectionRate], false, "demographic_parity_difference"),
        new("equal_opportunity_difference", [GroupRate.TruePositiveRate], false, "equal_opportunity_difference"),
        new(
            "false_positive_rate_difference",
            [GroupRate.FalsePositiveRate],
            false,
            "MetricFrame(metrics=false_positive_rate).difference()"
        ),
        new(
            "equalized_odds_difference",
            [GroupRate.TruePositiveRate, GroupRate.FalsePositiveRate],
            false,
            "equalized_odds_difference"
        ),
        new(
            "calibration_error_difference",
            [GroupRate.CalibrationError],
            false,
            "MetricFrame(metrics=expected calibration error, 10 equal-width bins).difference()"
        ),
    ];

    /// <summary>The measure of that name, or null.</summary>
    public static FairnessMeasure? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
