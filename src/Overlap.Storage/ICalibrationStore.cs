namespace Overlap.Storage;

/// <summary>
/// The period a feature's score calibration was refitted on (an admin's recalibration), so estimates keep using it
/// after a restart; without one, the calibration is fitted on the contract's reference period.
/// </summary>
public interface ICalibrationStore
{
    /// <summary>The feature's recalibration; null when it was never recalibrated.</summary>
    Task<CalibrationRecord?> GetCalibrationAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the feature's recalibration (replacing any before) and forgets the feature's stored window reports, whose
    /// estimates were made with the calibration before.
    /// </summary>
    Task SaveCalibrationAsync(CalibrationRecord calibration, CancellationToken cancellationToken = default);
}
