using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Estimation;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

internal sealed partial class FeatureMonitor
{
    /// <summary>The most reference predictions read for drift and calibration: a larger period is sampled uniformly.</summary>
    public const int ReferenceSample = 100_000;

    /// <summary>
    /// What the estimates and drift tests of a contract version rest on: the score calibration and its basis, fitted on
    /// what <see cref="Key"/> names, and the reference period's inputs once read (<see cref="HasInputs"/>).
    /// </summary>
    private sealed record Reference(
        string Key,
        ScoreCalibration Calibration,
        CalibrationBasis Basis,
        Table? Inputs,
        bool HasInputs
    );

    /// <summary>A contract with no reference period and no recalibration: the scores are taken as they are.</summary>
    private static readonly Reference None = new(
        "",
        ScoreCalibration.Identity,
        CalibrationBasis.Of(ScoreCalibration.Identity, null, null, 0),
        null,
        HasInputs: true
    );

    private readonly Dictionary<(string Feature, int Version), Reference> _references = [];
    private readonly Lock _referencesGate = new();

    /// <summary>
    /// The score calibration (fitted on the period an admin recalibrated on when there is one, else on the reference
    /// period's labels) and, with <paramref name="inputs"/>, the reference period's inputs for drift, kept per contract
    /// version until a prediction or label in either period changes. The calibration is fitted by one server and stored
    /// (<see cref="ICalibrationStore.GetFittedCalibrationAsync"/>): another server, or this one after a restart, reads
    /// it instead of reading the reference sample again, which at 10,000,000 predictions a day takes minutes. Only a
    /// window's computation asks for the inputs. A reference file (reference: { data: … }) is for overlap drift; the
    /// server compares with a stored period, sampled to <see cref="ReferenceSample"/> predictions.
    /// </summary>
    private async Task<Reference> ReferenceAsync(
        Contract contract,
        int version,
        bool inputs,
        CancellationToken cancellationToken
    )
    {
        var feature = contract.Feature;
        var recalibration = await calibrations.GetCalibrationAsync(feature, cancellationToken).ConfigureAwait(false);
        var reference = contract.Monitoring?.Reference is { From: { } from, To: { } to }
            ? (From: from, To: to)
            : ((DateTimeOffset From, DateTimeOffset To)?)null;
        if (reference is null && recalibration is null)
        {
            return None;
        }
        var change = reference is { } r
            ? await events.ChangeInRangeAsync(feature, r.From, r.To, cancellationToken).ConfigureAwait(false)
            : 0;
        var calibrationChange = recalibration is { } c
            ? await events.ChangeInRangeAsync(feature, c.From, c.To, cancellationToken).ConfigureAwait(false)
            : change;
        var key = FitKey(reference, recalibration, change, calibrationChange);
        if (Kept(feature, version, key) is { } kept && (kept.HasInputs || !inputs))
        {
            return kept;
        }
        // The calibration alone, stored: read without waiting for a hold, which another request may keep for minutes
        // while it reads the reference's inputs for a window.
        if (
            !inputs
            && await StoredAsync(reference, recalibration, feature, version, key, cancellationToken)
                .ConfigureAwait(false)
                is { } stored
        )
        {
            return Keep(feature, version, stored);
        }
        // One request fits at a time (in this server and, on a shared store, in every other): one that waited finds
        // the fit kept here or stored.
        await using var hold = await calibrations
            .HoldFitAsync(feature, version, cancellationToken)
            .ConfigureAwait(false);
        kept = Kept(feature, version, key);
        if (kept is not null && (kept.HasInputs || !inputs))
        {
            return kept;
        }
        var calibration = kept?.Calibration;
        var basis = kept?.Basis;
        if (
            calibration is null
            && await StoredAsync(reference, recalibration, feature, version, key, cancellationToken)
                .ConfigureAwait(false)
                is { } found
        )
        {
            (calibration, basis) = (found.Calibration, found.Basis);
        }
        // The reference period is read for its inputs, and for the calibration when it is fitted there (no recalibration)
        // and was not stored: one read gives both.
        Table? table = null;
        var hasInputs = reference is null;
        (ScoreCalibration Calibration, int Labelled, int Positives)? fit = null;
        var clock = Stopwatch.StartNew();
        if (reference is { } period && (inputs || (calibration is null && recalibration is null)))
        {
            var rows = await events
                .ReadPredictionsAsync(
                    feature,
                    period.From,
                    period.To,
                    ProductionWindows.Attributes(contract),
                    ReferenceSample,
                    cancellationToken
                )
                .ConfigureAwait(false);
            table = ProductionWindows.Inputs(contract, version, rows, $"{feature} reference period");
            hasInputs = true;
            if (calibration is null && recalibration is null)
            {
                fit = ProductionWindows.Calibration(contract, version, rows);
            }
        }
        if (calibration is null)
        {
            fit ??= recalibration is { } recalibrated
                ? await FitAsync(contract, version, recalibrated.From, recalibrated.To, cancellationToken)
                    .ConfigureAwait(false)
                : (ScoreCalibration.Identity, 0, 0);
            calibration = fit.Value.Calibration;
            basis = BasisOf(calibration, reference, recalibration, fit.Value.Labelled);
            await calibrations
                .SaveFittedCalibrationAsync(
                    feature,
                    version,
                    key,
                    new FittedCalibration(calibration.ToBytes(), fit.Value.Labelled),
                    cancellationToken
                )
                .ConfigureAwait(false);
            // Said when it was slow enough for a reader to wonder why a request took long (a reference of millions of
            // predictions); a quick fit, which happens whenever a label comes into the period, is a debug line.
            LogFitted(
                logger,
                clock.Elapsed >= SlowFit ? LogLevel.Information : LogLevel.Debug,
                feature,
                version,
                fit.Value.Labelled,
                clock.Elapsed.TotalSeconds
            );
        }
        var result = new Reference(key, calibration, basis!, table, hasInputs);
        lock (_referencesGate)
        {
            _references[(feature, version)] = result;
        }
        return result;
    }

    /// <summary>The calibration stored for <paramref name="key"/> (without the reference's inputs, unless there is no reference period), or null.</summary>
    private async Task<Reference?> StoredAsync(
        (DateTimeOffset From, DateTimeOffset To)? reference,
        CalibrationRecord? recalibration,
        string feature,
        int version,
        string key,
        CancellationToken cancellationToken
    )
    {
        var stored = await calibrations
            .GetFittedCalibrationAsync(feature, version, key, cancellationToken)
            .ConfigureAwait(false);
        return stored is not null && Read(stored.Calibration) is { } read
            ? new Reference(
                key,
                read,
                BasisOf(read, reference, recalibration, stored.Rows),
                null,
                HasInputs: reference is null
            )
            : null;
    }

    /// <summary>Keeps <paramref name="read"/> unless a reference on the same key is kept already (one that may hold the inputs); the one kept.</summary>
    private Reference Keep(string feature, int version, Reference read)
    {
        lock (_referencesGate)
        {
            if (_references.TryGetValue((feature, version), out var known) && known.Key == read.Key)
            {
                return known;
            }
            _references[(feature, version)] = read;
            return read;
        }
    }

    /// <summary>The reference kept here for the contract version, when it rests on <paramref name="key"/>.</summary>
    private Reference? Kept(string feature, int version, string key)
    {
        lock (_referencesGate)
        {
            return _references.TryGetValue((feature, version), out var known) && known.Key == key ? known : null;
        }
    }

    /// <summary>Forgets the references kept here for <paramref name="feature"/> (its calibration was refitted).</summary>
    private void ForgetReferences(string feature)
    {
        lock (_referencesGate)
        {
            foreach (var key in _references.Keys.Where(k => k.Feature == feature).ToList())
            {
                _references.Remove(key);
            }
        }
    }

    /// <summary>
    /// What a calibration is fitted on, as the store's key: the reference period and the recalibration (its period, who
    /// and when), each period's change number (a label or prediction in it changes it), and the sample size.
    /// </summary>
    private static string FitKey(
        (DateTimeOffset From, DateTimeOffset To)? reference,
        CalibrationRecord? recalibration,
        long change,
        long calibrationChange
    ) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"reference {reference?.From:O} {reference?.To:O} at {change}; recalibration {recalibration?.From:O} {recalibration?.To:O} by {recalibration?.FittedBy} at {recalibration?.FittedAt:O} at {calibrationChange}; sample {ReferenceSample}"
        );

    /// <summary>The basis of a calibration fitted on <paramref name="labelled"/> predictions: of the recalibration's period when there is one, else of the reference period.</summary>
    private static CalibrationBasis BasisOf(
        ScoreCalibration calibration,
        (DateTimeOffset From, DateTimeOffset To)? reference,
        CalibrationRecord? recalibration,
        long labelled
    ) =>
        recalibration is { } r ? CalibrationBasis.Of(calibration, r.From, r.To, labelled, r.FittedBy, r.FittedAt)
        : reference is { } p ? CalibrationBasis.Of(calibration, p.From, p.To, labelled)
        : CalibrationBasis.Of(calibration, null, null, 0);

    /// <summary>A stored calibration; null (so it is fitted again) when its bytes are not one this server reads.</summary>
    private ScoreCalibration? Read(byte[] bytes)
    {
        try
        {
            return ScoreCalibration.FromBytes(bytes);
        }
        catch (FormatException e)
        {
            LogUnreadableFit(logger, e.Message);
            return null;
        }
    }

    /// <summary>The calibration fitted on the labelled predictions of [<paramref name="from"/>, <paramref name="to"/>), sampled to <see cref="ReferenceSample"/>.</summary>
    private async Task<(ScoreCalibration Calibration, int Labelled, int Positives)> FitAsync(
        Contract contract,
        int version,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken
    )
    {
        var rows = await events
            .ReadPredictionsAsync(contract.Feature, from, to, [], ReferenceSample, cancellationToken)
            .ConfigureAwait(false);
        return ProductionWindows.Calibration(contract, version, rows);
    }

    /// <summary>A fit that takes this long or longer is logged as information, a quicker one at debug.</summary>
    private static readonly TimeSpan SlowFit = TimeSpan.FromSeconds(10);

    [LoggerMessage(
        Message = "Fitted the score calibration of {Feature} (contract version {Version}) on {Labelled} labelled predictions in {Seconds:0.0} s; it is stored for every instance"
    )]
    private static partial void LogFitted(
        ILogger logger,
        LogLevel level,
        string feature,
        int version,
        int labelled,
        double seconds
    );

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "The stored score calibration could not be read ({Reason}); it is fitted again"
    )]
    private static partial void LogUnreadableFit(ILogger logger, string reason);
}
