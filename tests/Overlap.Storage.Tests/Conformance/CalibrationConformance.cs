using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// Recalibrations: one per feature, replaced by the next, kept across a reopen; saving one forgets the feature's stored
/// window reports. Fitted calibrations: one per feature and contract version, read back only at the key it was fitted
/// on, replaced by the next; one fit holds a feature's version at a time.
/// </summary>
public abstract class CalibrationConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    [Fact]
    public async Task A_recalibration_replaces_the_one_before_and_survives_a_reopen()
    {
        var first = new CalibrationRecord("fraud", Noon.AddDays(-10), Noon.AddDays(-3), 800, "ana", Noon);
        var second = first with { From = Noon.AddDays(-5), Rows = 1200, FittedBy = "ben", FittedAt = Noon.AddDays(1) };
        await using (var store = Open())
        {
            Assert.Null(await store.Calibrations.GetCalibrationAsync("fraud"));
            await store.Calibrations.SaveCalibrationAsync(first);
            Assert.Equal(first, await store.Calibrations.GetCalibrationAsync("fraud"));
            await store.Calibrations.SaveCalibrationAsync(second);
        }
        await using var reopened = Open();
        Assert.Equal(second, await reopened.Calibrations.GetCalibrationAsync("fraud"));
        Assert.Null(await reopened.Calibrations.GetCalibrationAsync("spam"));
    }

    [Fact]
    public async Task A_recalibration_forgets_that_features_stored_window_reports_only()
    {
        await using var store = Open();
        var day = TimeSpan.FromDays(1);
        await store.Sink.AppendAsync(
            [
                new PredictionEvent
                {
                    Id = "a",
                    Feature = "fraud",
                    Time = Noon,
                    Score = 0.2,
                },
                new PredictionEvent
                {
                    Id = "a",
                    Feature = "spam",
                    Time = Noon,
                    Score = 0.2,
                },
            ],
            Noon
        );
        foreach (var feature in (string[])["fraud", "spam"])
        {
            await store.Reports.SaveWindowReportAsync(
                feature,
                Midnight,
                day,
                1,
                0,
                await store.Reader.CurrentChangeAsync(feature),
                Noon,
                "{}",
                null
            );
        }
        await store.Calibrations.SaveCalibrationAsync(
            new CalibrationRecord("fraud", Noon.AddDays(-10), Noon, 800, "ana", Noon)
        );
        Assert.Empty(await store.Reports.WindowReportsAsync("fraud", [Midnight], day, 1, 0, summaries: false));
        Assert.Single(await store.Reports.WindowReportsAsync("spam", [Midnight], day, 1, 0, summaries: false));
    }

    [Fact]
    public async Task A_fitted_calibration_is_read_back_only_at_its_key_and_replaced_by_the_next()
    {
        var first = new FittedCalibration([1, 0, 1, 2, 3, 255], 800);
        var second = new FittedCalibration([1, 1, 9, 9], 1200);
        await using (var store = Open())
        {
            Assert.Null(await store.Calibrations.GetFittedCalibrationAsync("fraud", 1, "reference at 7"));
            await store.Calibrations.SaveFittedCalibrationAsync("fraud", 1, "reference at 7", first);
            var read = await store.Calibrations.GetFittedCalibrationAsync("fraud", 1, "reference at 7");
            Assert.Equal(first.Calibration, read!.Calibration);
            Assert.Equal(800, read.Rows);
            // Fitted on something else (a label came in since): not this fit.
            Assert.Null(await store.Calibrations.GetFittedCalibrationAsync("fraud", 1, "reference at 8"));
            Assert.Null(await store.Calibrations.GetFittedCalibrationAsync("fraud", 2, "reference at 7"));
            Assert.Null(await store.Calibrations.GetFittedCalibrationAsync("spam", 1, "reference at 7"));
            await store.Calibrations.SaveFittedCalibrationAsync("fraud", 2, "reference at 7", second);
            await store.Calibrations.SaveFittedCalibrationAsync("fraud", 1, "reference at 8", second);
        }
        await using var reopened = Open();
        Assert.Null(await reopened.Calibrations.GetFittedCalibrationAsync("fraud", 1, "reference at 7"));
        var replaced = await reopened.Calibrations.GetFittedCalibrationAsync("fraud", 1, "reference at 8");
        Assert.Equal(second.Calibration, replaced!.Calibration);
        Assert.Equal(1200, replaced.Rows);
        Assert.Equal(
            second.Calibration,
            (await reopened.Calibrations.GetFittedCalibrationAsync("fraud", 2, "reference at 7"))!.Calibration
        );
    }

    [Fact]
    public async Task One_fit_holds_a_features_contract_version_at_a_time()
    {
        await using var store = Open();
        var held = await store.Calibrations.HoldFitAsync("fraud", 1);
        var waiting = store.Calibrations.HoldFitAsync("fraud", 1);
        // Another version, another feature, and the window of the same feature are not held.
        await (await store.Calibrations.HoldFitAsync("fraud", 2).WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
        await (await store.Calibrations.HoldFitAsync("spam", 1).WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
        await (
            await store
                .Reports.HoldWindowAsync("fraud", Midnight, TimeSpan.FromDays(1), 1, 1000)
                .WaitAsync(TimeSpan.FromSeconds(10))
        ).DisposeAsync();
        await Task.Delay(300);
        Assert.False(
            waiting.IsCompleted,
            "a second fit of the same contract version was let in while the first held it"
        );
        using (var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                store.Calibrations.HoldFitAsync("fraud", 1, gone.Token)
            );
        }
        await held.DisposeAsync();
        await (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
    }
}
