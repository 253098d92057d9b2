using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

internal sealed partial class FeatureMonitor
{
    /// <summary>The fewest labelled predictions a recalibration is fitted on: fewer would trade one unreliable estimate for another.</summary>
    public const int MinRecalibrationRows = 100;

    /// <summary>
    /// The period a recalibration is fitted on when none is asked for: the windows the estimate check judged over the
    /// last 30 days (they have labels enough), else the last <see cref="EstimateChecker.Recent"/> closed windows.
    /// </summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)> RecalibrationPeriodAsync(
        Contract contract,
        int version,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        var length = WindowLength(contract);
        var now = options.Time.GetUtcNow();
        var report = await ReportAsync(
                contract,
                version,
                FeatureHealth.Last30Days(contract, now),
                new EvaluationOptions(),
                cancellationToken,
                stale: true
            )
            .ConfigureAwait(false);
        if (report.EstimateCheck?.Windows is [var first, .., var last])
        {
            return (first.Start, last.Start + length);
        }
        var end = WindowMonitor.Floor(now, length);
        return (end - (EstimateChecker.Recent * length), end);
    }

    /// <summary>
    /// Refits the score calibration of a binary feature on the labelled predictions (users' labels and reviewers'
    /// decisions) of [<paramref name="from"/>, <paramref name="to"/>) and keeps it, so every estimate from now on (and
    /// after a restart) uses it; the stored windows are computed again. The basis, or why not (too few labels).
    /// </summary>
    public async Task<(CalibrationBasis? Basis, string? Refusal)> RecalibrateAsync(
        Contract contract,
        int version,
        DateTimeOffset from,
        DateTimeOffset to,
        string by,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var fit = await FitAsync(contract, version, from, to, cancellationToken).ConfigureAwait(false);
        var negatives = fit.Labelled - fit.Positives;
        if (fit.Labelled < MinRecalibrationRows || fit.Positives == 0 || negatives == 0)
        {
            return (
                null,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{fit.Labelled} labelled predictions from {from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm} UTC ({fit.Positives} {contract.Labels.Positive}, {negatives} {contract.Labels.Negative}); recalibrating needs at least {MinRecalibrationRows}, with both labels: send more labels or review more items, or ask for a longer period with from and to"
                )
            );
        }
        var now = options.Time.GetUtcNow();
        await calibrations
            .SaveCalibrationAsync(
                new CalibrationRecord(contract.Feature, from, to, fit.Labelled, by, now),
                cancellationToken
            )
            .ConfigureAwait(false);
        // Every figure kept in memory carries the old calibration's estimates.
        windowsKept.Forget(contract.Feature);
        rangesKept.Forget(contract.Feature);
        ForgetReferences(contract.Feature);
        var basis = (
            await ReferenceAsync(contract, version, inputs: false, cancellationToken).ConfigureAwait(false)
        ).Basis;
        return (basis, null);
    }
}
