namespace Overlap.Server.Monitoring.Charts;

/// <summary>A window tested for drift against the reference: whether the data set drifted, and each column.</summary>
/// <param name="Start">The window's start.</param>
/// <param name="DatasetDrift">True when at least half of the columns drifted.</param>
/// <param name="DriftedShare">The share of tested columns that drifted.</param>
/// <param name="Summary">The drift report's own summary line ("3 of 6 columns drifted (50%); ...").</param>
/// <param name="Columns">Each tested column.</param>
public sealed record DriftWindow(
    DateTimeOffset Start,
    bool DatasetDrift,
    double DriftedShare,
    string Summary,
    DriftOverlay[] Columns
);
