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

    /// <summary>
    /// The calibration fitted for the feature's contract version on what <paramref name="fit"/> names (the server's key:
    /// the periods it was fitted on and their change numbers), or null when the one stored was fitted on something else
    /// or none is: one server fits it, every other one (and this one after a restart) reads it.
    /// </summary>
    Task<FittedCalibration?> GetFittedCalibrationAsync(
        string feature,
        int contractVersion,
        string fit,
        CancellationToken cancellationToken = default
    );

    /// <summary>Keeps the calibration fitted for the feature's contract version on <paramref name="fit"/>, replacing the one before.</summary>
    Task SaveFittedCalibrationAsync(
        string feature,
        int contractVersion,
        string fit,
        FittedCalibration fitted,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Waits until no other fit of the feature's calibration for this contract version holds it (in this server or, on a
    /// shared store, in any other), then holds it until the returned hold is disposed: one that waited reads the fit the
    /// other stored instead of reading the reference sample again.
    /// </summary>
    Task<IAsyncDisposable> HoldFitAsync(
        string feature,
        int contractVersion,
        CancellationToken cancellationToken = default
    );
}
