using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;

namespace Overlap.Core.Tests.Estimation;

public sealed class EstimateCheckerTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A daily window with recall estimated at <paramref name="estimated"/> and, when given, realised with its interval.</summary>
    private static WindowReport Window(
        int day,
        double estimated,
        double? realised = null,
        double low = 0,
        double high = 0
    ) =>
        new()
        {
            Start = Day0.AddDays(day),
            End = Day0.AddDays(day + 1),
            Predictions = 1000,
            Labelled = realised is null ? 0 : 300,
            Estimated = new EstimatedPerformance
            {
                N = 1000,
                Recalibrated = true,
                ExpectedTp = 1,
                ExpectedFp = 1,
                ExpectedFn = 1,
                ExpectedTn = 1,
                Metrics = new Dictionary<string, MetricValue>
                {
                    ["recall"] = new(estimated, estimated - 0.02, estimated + 0.02, 1000),
                    ["precision"] = new(0.9, 0.88, 0.92, 1000),
                },
            },
            Evaluation = realised is not { } r
                ? null
                : new EvaluationReport
                {
                    Feature = "spam",
                    Task = "binary",
                    Verdict = Verdict.Pass,
                    N = 300,
                    Confidence = 0.95,
                    Metrics = new Dictionary<string, MetricValue>
                    {
                        ["recall"] = new(r, low, high, 300),
                        ["precision"] = new(0.8, 0.75, 0.85, 300),
                    },
                    Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(),
                    Requirements = [],
                    Statements = [],
                },
        };

    [Fact]
    public void Check_RealisedIntervalsExcludeTheEstimateInMostRecentWindows_Unreliable()
    {
        // The spam demo's case: recall estimated near 0.47 while the labels show about 0.9.
        var windows = new[]
        {
            Window(0, 0.90, 0.91, 0.86, 0.95), // older than the last four labelled windows: not judged
            Window(1, 0.47, 0.895, 0.85, 0.93),
            Window(2, 0.45, 0.90, 0.86, 0.94),
            Window(3, 0.48, 0.85, 0.60, 0.95), // few labels (interval 0.35 wide), yet it excludes the estimate
            Window(4, 0.46, 0.50, 0.42, 0.58),
            Window(5, 0.44, 0.88, 0.84, 0.92),
            Window(6, 0.44), // no labels yet
        };

        var check = EstimateChecker.Check(windows, "recall", TimeSpan.FromDays(1));

        Assert.NotNull(check);
        Assert.False(check.Reliable);
        Assert.Equal(4, check.WindowsChecked);
        Assert.Equal(3, check.WindowsExcluded);
        Assert.Equal(
            [Day0.AddDays(2), Day0.AddDays(3), Day0.AddDays(4), Day0.AddDays(5)],
            check.Windows.Select(w => w.Start)
        );
        Assert.Equal([true, true, false, true], check.Windows.Select(w => w.Excluded));
        Assert.Equal(((0.45 - 0.90) + (0.48 - 0.85) + (0.46 - 0.50) + (0.44 - 0.88)) / 4, check.MeanError!.Value, 12);
        Assert.Equal(check.MeanError.Value, check.MeanErrors["recall"], 12);
        Assert.Equal(0.1, check.MeanErrors["precision"], 12);
        Assert.False(check.MeanErrors.ContainsKey("roc_auc"));
        Assert.Null(check.Reason);
        Assert.Equal(
            "The estimate is unreliable: it has been 0.325 below the realised recall on average, outside the realised interval in 3 of the last 4 labelled days; do not trust it until it is recalibrated on recent labelled predictions.",
            check.Statement
        );
    }

    [Fact]
    public void Check_WideIntervalsHoldingTheEstimate_CannotSayItHolds()
    {
        var windows = new[]
        {
            Window(0, 0.5, 0.6, 0.3, 0.85),
            Window(1, 0.5, 0.55, 0.25, 0.8),
            Window(2, 0.5, 0.6, 0.5, 0.7),
        };

        var check = EstimateChecker.Check(windows, "recall", TimeSpan.FromDays(1))!;

        Assert.Null(check.Reliable);
        Assert.Equal((3, 0), (check.WindowsChecked, check.WindowsExcluded));
        Assert.Equal(
            "the realised recall interval is at most 0.25 wide in only 1 of the last 3 labelled days: too few labels to say the estimate holds, and it was outside the realised interval in 0",
            check.Reason
        );
    }

    [Fact]
    public void Check_EstimateInsideRealisedIntervals_Reliable()
    {
        var windows = new[]
        {
            Window(0, 0.88, 0.90, 0.85, 0.94),
            Window(1, 0.89, 0.87, 0.83, 0.91),
            Window(2, 0.95, 0.89, 0.85, 0.93),
        };

        var check = EstimateChecker.Check(windows, "recall", TimeSpan.FromDays(7))!;

        Assert.True(check.Reliable);
        Assert.Equal((3, 1), (check.WindowsChecked, check.WindowsExcluded));
        Assert.Equal(
            "The estimate has held: it was inside the realised recall interval in 2 of the last 3 labelled weeks (0.02 above on average).",
            check.Statement
        );
    }

    [Fact]
    public void Check_TooFewLabelledWindows_SaysNothingAndWhy()
    {
        var windows = new[] { Window(0, 0.4, 0.9, 0.85, 0.95), Window(1, 0.4) };

        var check = EstimateChecker.Check(windows, "recall", TimeSpan.FromDays(1))!;

        Assert.Null(check.Reliable);
        Assert.Equal((1, 1), (check.WindowsChecked, check.WindowsExcluded));
        Assert.Equal("only 1 labelled day with a realised recall; the estimate is checked once 2 are", check.Reason);
        Assert.Equal(
            "Not known yet whether the estimate can be trusted: only 1 labelled day with a realised recall; the estimate is checked once 2 are. So far it has been 0.5 below the realised recall on average.",
            check.Statement
        );
    }

    [Fact]
    public void Check_MetricNotEstimated_Null()
    {
        var windows = new[] { Window(0, 0.4, 0.9, 0.85, 0.95) };

        Assert.Null(EstimateChecker.Check(windows, "latency_p95_ms", TimeSpan.FromDays(1)));
        Assert.Null(
            EstimateChecker.Check(
                [Window(0, 0.4, 0.9, 0.85, 0.95) with { Estimated = null }],
                "recall",
                TimeSpan.FromDays(1)
            )
        );
    }
}
