using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>Recalibrations: one per feature, replaced by the next, kept across a reopen; saving one forgets the feature's stored window reports.</summary>
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
}
