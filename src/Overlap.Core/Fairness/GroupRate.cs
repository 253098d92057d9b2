namespace Overlap.Core.Fairness;

/// <summary>A rate measured per group of a sensitive attribute, compared across groups by a <see cref="FairnessMeasure"/>.</summary>
public enum GroupRate
{
    /// <summary>Share of the group's examples flagged positive (needs no labels).</summary>
    SelectionRate,

    /// <summary>Share of the group's positives flagged (recall).</summary>
    TruePositiveRate,

    /// <summary>Share of the group's negatives flagged.</summary>
    FalsePositiveRate,

    /// <summary>The group's expected calibration error over 10 equal-width score bins.</summary>
    CalibrationError,
}
