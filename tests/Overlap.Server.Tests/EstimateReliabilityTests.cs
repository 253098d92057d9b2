using System.Net;
using System.Text.Json;
using DuckDB.NET.Data;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Events;
using Overlap.Server.Alerts;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests;

/// <summary>
/// A model that broke after its reference period: half the spam now scores as low as ham, so the estimate (calibrated
/// on the reference, where a low score meant ham) keeps saying recall 1 while the labels show 0.5. The API, the alerts
/// and a recalibration on the recent labels all over a real server and a real DuckDB file.
/// </summary>
public sealed class EstimateReliabilityTests : IAsyncLifetime
{
    private const string Feature = BrokenSpamModel.Feature;
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Day0.AddDays(11).AddHours(12);

    private readonly FakeTimeProvider _clock = new(Now);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configure: o => o with { Time = _clock });
        using var admin = _server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await admin.PutAsync(
                    $"/v1/features/{Feature}/contract",
                    new StringContent(BrokenSpamModel.Contract(Day0))
                )
            ).StatusCode
        );
        await _server.Store<IEventSink>().AppendAsync(BrokenSpamModel.Events(Day0), Now);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<MonitoringReport> MetricsAsync()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        return ReportJson.ReadMonitoring(
            await viewer.GetStringAsync($"/v1/features/{Feature}/metrics?from=2026-03-01&to=2026-03-12&resamples=200")
        )!;
    }

    [Fact]
    public async Task Metrics_EstimateOutsideTheRealisedIntervals_SaysItIsUnreliableAndByHowMuch()
    {
        var report = await MetricsAsync();

        var check = report.EstimateCheck;
        Assert.NotNull(check);
        Assert.Equal("recall", check.Metric);
        Assert.False(check.Reliable);
        Assert.Equal((4, 4), (check.WindowsChecked, check.WindowsExcluded));
        Assert.Equal(
            [Day0.AddDays(7), Day0.AddDays(8), Day0.AddDays(9), Day0.AddDays(10)],
            check.Windows.Select(w => w.Start)
        );
        Assert.All(check.Windows, w => Assert.Equal((1.0, 0.5), (w.Estimated, w.Realised)));
        Assert.Equal(0.5, check.MeanError!.Value, 12);
        Assert.Equal(
            "The estimate is unreliable: it has been 0.5 above the realised recall on average, outside the realised interval in 4 of the last 4 labelled days; do not trust it until it is recalibrated on recent labelled predictions.",
            check.Statement
        );
        Assert.Equal("reference", report.Calibration!.Source);
        Assert.Equal(800, report.Calibration.Rows);
        Assert.Equal(
            "Estimates use scores calibrated (isotonic) on the 800 labelled predictions of the reference period, 2026-03-01 to 2026-03-04.",
            report.Calibration.Statement
        );
    }

    [Fact]
    public async Task AlertEvaluation_UnreliableEstimate_IsAWarningInTheHistory()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var evaluated = await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window=2026-03-10", null);
        Assert.Equal(HttpStatusCode.OK, evaluated.StatusCode);

        using var alerts = JsonDocument.Parse(await admin.GetStringAsync($"/v1/features/{Feature}/alerts"));
        var history = alerts
            .RootElement.GetProperty("history")
            .EnumerateArray()
            .Single(h => h.GetProperty("check").GetString() == EstimateAlert.Check);
        Assert.Equal("warning", history.GetProperty("state").GetString());
        Assert.StartsWith(
            "The estimate is unreliable: it has been 0.5 above the realised recall",
            history.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            "An admin can recalibrate it on the feature page (or POST /v1/features/spam/recalibrate).",
            history.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Recalibrate_OnTheRecentLabels_MakesTheEstimateHold_AndSurvivesARestart()
    {
        Assert.False((await MetricsAsync()).EstimateCheck!.Reliable);
        using (var viewer = _server.Client(KeyRole.Viewer))
        {
            Assert.Equal(
                HttpStatusCode.Forbidden,
                (await viewer.PostAsync($"/v1/features/{Feature}/recalibrate", null)).StatusCode
            );
        }
        using (var admin = _server.Client(KeyRole.Admin))
        {
            var response = await admin.PostAsync($"/v1/features/{Feature}/recalibrate", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var calibration = body.RootElement.GetProperty("calibration");
            Assert.Equal("recalibrated", calibration.GetProperty("source").GetString());
            // The four windows the check judged: 8 to 11 March.
            Assert.Equal(800, calibration.GetProperty("rows").GetInt64());
            Assert.Equal(Day0.AddDays(7), calibration.GetProperty("from").GetDateTimeOffset());
            Assert.Equal(Day0.AddDays(11), calibration.GetProperty("to").GetDateTimeOffset());
        }

        var after = await MetricsAsync();
        // Recalibrated, a score of 0.2 means spam one time in three: recall is estimated at 50 / (50 + 150 / 3) = 0.5.
        Assert.True(after.EstimateCheck!.Reliable);
        Assert.Equal(0, after.EstimateCheck.WindowsExcluded);
        Assert.All(after.EstimateCheck.Windows, w => Assert.Equal(0.5, w.Estimated, 9));
        Assert.Equal(
            "Estimates use scores calibrated (isotonic) on the 800 labelled predictions from 2026-03-08 to 2026-03-11, recalibrated by Admin tester on 2026-03-12 12:00 UTC.",
            after.Calibration!.Statement
        );

        var folder = _server.Folder;
        await _server.StopKeepingDataAsync();
        _server = await RunningServer.StartAsync(folder, configure: o => o with { Time = _clock });
        var restarted = await MetricsAsync();
        Assert.Equal("recalibrated", restarted.Calibration!.Source);
        Assert.True(restarted.EstimateCheck!.Reliable);
    }

    [Fact]
    public async Task A_restarted_server_reads_the_stored_calibration_and_fits_again_once_a_reference_label_changes()
    {
        Assert.Equal(800, (await MetricsAsync()).Calibration!.Rows);
        var folder = _server.Folder;
        await _server.StopKeepingDataAsync();
        // The fit is stored: written over with another count, the restarted server shows that count, so it read the
        // stored fit rather than the reference sample (at 10,000,000 predictions a day, minutes of reading).
        await using (var side = new DuckDBConnection($"Data Source={Path.Combine(folder, "overlap.duckdb")}"))
        {
            await side.OpenAsync();
            await using var command = side.CreateCommand();
            command.CommandText =
                "UPDATE fitted_calibrations SET n = 4242 WHERE feature = 'spam' AND contract_version = 1";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        _server = await RunningServer.StartAsync(folder, configure: o => o with { Time = _clock });
        var restarted = await MetricsAsync();
        Assert.Equal(4242, restarted.Calibration!.Rows);
        Assert.Equal(
            "Estimates use scores calibrated (isotonic) on the 4,242 labelled predictions of the reference period, 2026-03-01 to 2026-03-04.",
            restarted.Calibration.Statement
        );

        // A labelled prediction added to the reference period: the stored fit rests on the period before, so it is
        // fitted again, on 801.
        await _server
            .Store<IEventSink>()
            .AppendAsync(
                [
                    new PredictionEvent
                    {
                        Id = "late-ref",
                        Feature = Feature,
                        Time = Day0.AddHours(1),
                        Score = 0.8,
                    },
                    new OutcomeEvent
                    {
                        Id = "o-late-ref",
                        PredictionId = "late-ref",
                        Label = "spam",
                        Time = Day0.AddHours(2),
                    },
                ],
                Now
            );
        Assert.Equal(801, (await MetricsAsync()).Calibration!.Rows);
    }

    [Fact]
    public async Task A_stored_calibration_is_read_while_another_request_holds_the_fit()
    {
        Assert.Equal(800, (await MetricsAsync()).Calibration!.Rows);
        var folder = _server.Folder;
        await _server.StopKeepingDataAsync();
        // Without the alert scheduler, which would otherwise read the calibration in the background first.
        _server = await RunningServer.StartAsync(folder, configure: o =>
            o with
            {
                Time = _clock,
                Services = s => s.Remove(s.Single(d => d.ImplementationType == typeof(AlertScheduler))),
            }
        );
        // Held as a window's computation holds it while it reads the reference's inputs (minutes at 10,000,000 a day):
        // a read of stored windows needs only the calibration, which is stored, so it does not wait.
        await using (await _server.Store<ICalibrationStore>().HoldFitAsync(Feature, 1))
        {
            var read = await MetricsAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(800, read.Calibration!.Rows);
        }
    }

    [Fact]
    public async Task Recalibrate_TooFewLabels_Is409SayingHowManyAreNeeded()
    {
        using var admin = _server.Client(KeyRole.Admin);

        var response = await admin.PostAsync(
            $"/v1/features/{Feature}/recalibrate?from=2026-03-09T00:00:00Z&to=2026-03-09T03:00:00Z",
            null
        );

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            "26 labelled predictions from 2026-03-09 00:00 to 2026-03-09 03:00 UTC (13 spam, 13 ham); recalibrating needs at least 100, with both labels: send more labels or review more items, or ask for a longer period with from and to",
            problem.RootElement.GetProperty("detail").GetString()
        );
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await admin.PostAsync($"/v1/features/{Feature}/recalibrate?from=yesterday", null)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync("/v1/features/nope/recalibrate", null)).StatusCode
        );
    }
}
