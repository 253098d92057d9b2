using Overlap.Core.Estimation;

namespace Overlap.Server.Monitoring;

/// <summary>What a recalibration was fitted on.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Calibration">The period, the labelled predictions behind it, who and when, in words too.</param>
public sealed record RecalibrationResponse(string Feature, CalibrationBasis Calibration);
