using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Monitoring.Charts;

namespace Overlap.Server.Tests.Dashboard;

public sealed class FeatureChartsEstimateTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static WindowReport Window(int day, bool labelled) =>
        new()
        {
            Start = Day0.AddDays(day),
            End = Day0.AddDays(day + 1),
            Predictions = 10,
            Labelled = labelled ? 10 : 0,
            Estimated = new EstimatedPerformance
            {
                N = 10,
                Recalibrated = false,
                ExpectedTp = 1,
                ExpectedFp = 1,
                ExpectedFn = 1,
                ExpectedTn = 1,
                Metrics = new Dictionary<string, MetricValue> { ["recall"] = new(1, 1, 1, 10) },
            },
            Evaluation = !labelled
                ? null
                : new EvaluationReport
                {
                    Feature = "spam",
                    Task = "binary",
                    Verdict = Verdict.Fail,
                    N = 10,
                    Confidence = 0.95,
                    Metrics = new Dictionary<string, MetricValue> { ["recall"] = new(0.5, 0.45, 0.55, 10) },
                    Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(),
                    Requirements = [],
                    Statements = [],
                },
        };

    [Fact]
    public void UnreliableEstimate_MarksExcludedWindowsAndThoseWithoutLabels_OnlyWhileUnreliable()
    {
        var windows = new[] { Window(0, true), Window(1, true), Window(2, false) };
        var check = EstimateChecker.Check(windows, "recall", TimeSpan.FromDays(1))!;

        Assert.False(check.Reliable);
        Assert.All(windows, w => Assert.Equal(check.Statement, FeatureCharts.UnreliableEstimate(check, w)));
        Assert.All(windows, w => Assert.Null(FeatureCharts.UnreliableEstimate(check with { Reliable = true }, w)));
        Assert.Null(FeatureCharts.UnreliableEstimate(null, windows[2]));
        Assert.Null(FeatureCharts.UnreliableEstimate(check, windows[2] with { Estimated = null }));
    }
}
