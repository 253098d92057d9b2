using System.Globalization;

namespace Overlap.Core.Estimation;

/// <summary>What the score calibration behind the estimates was fitted on, so a reader knows what the estimate rests on.</summary>
public sealed record CalibrationBasis
{
    /// <summary>reference (the contract's reference period), recalibrated (an admin's refit on recent labelled predictions) or none (scores taken as they are).</summary>
    public required string Source { get; init; }

    /// <summary>The period's start; null for none.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The period's end (exclusive); null for none.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>How many labelled predictions (labels and reviewers' decisions) it was fitted on.</summary>
    public required long Rows { get; init; }

    /// <summary>Whether isotonic recalibration was used (else the scores are taken as they are: it did not help).</summary>
    public required bool Isotonic { get; init; }

    /// <summary>Who recalibrated; null unless recalibrated.</summary>
    public string? FittedBy { get; init; }

    /// <summary>When it was recalibrated; null unless recalibrated.</summary>
    public DateTimeOffset? FittedAt { get; init; }

    /// <summary>The basis in words.</summary>
    public required string Statement { get; init; }

    /// <summary>The basis of a calibration fitted on <paramref name="rows"/> labelled predictions of a period; <paramref name="fittedBy"/> set when an admin recalibrated.</summary>
    public static CalibrationBasis Of(
        ScoreCalibration calibration,
        DateTimeOffset? from,
        DateTimeOffset? to,
        long rows,
        string? fittedBy = null,
        DateTimeOffset? fittedAt = null
    )
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var source =
            from is null || rows == 0 ? "none"
            : fittedBy is null ? "reference"
            : "recalibrated";
        var period =
            from is { } f && to is { } t
                ? string.Create(CultureInfo.InvariantCulture, $"{f:yyyy-MM-dd} to {t.AddTicks(-1):yyyy-MM-dd}")
                : "";
        var how = calibration.Recalibrated
            ? "calibrated (isotonic)"
            : "taken as they are (calibrating them did not help)";
        var statement = source switch
        {
            "none" =>
                "Estimates take the scores as probabilities: there are no labelled predictions in a reference period to calibrate them on.",
            "reference" => string.Create(
                CultureInfo.InvariantCulture,
                $"Estimates use scores {how} on the {rows:#,0} labelled predictions of the reference period, {period}."
            ),
            _ => string.Create(
                CultureInfo.InvariantCulture,
                $"Estimates use scores {how} on the {rows:#,0} labelled predictions from {period}, recalibrated by {fittedBy} on {fittedAt:yyyy-MM-dd HH:mm} UTC."
            ),
        };
        return new CalibrationBasis
        {
            Source = source,
            From = from,
            To = to,
            Rows = rows,
            Isotonic = calibration.Recalibrated,
            FittedBy = fittedBy,
            FittedAt = fittedAt,
            Statement = statement,
        };
    }
}
