namespace Overlap.Storage;

/// <summary>
/// A fitted score calibration as a store keeps it: its bytes (the server's layout) and how many labelled predictions it
/// was fitted on.
/// </summary>
/// <param name="Calibration">The calibration's bytes.</param>
/// <param name="Rows">How many labelled predictions it was fitted on.</param>
public sealed record FittedCalibration(byte[] Calibration, long Rows);
