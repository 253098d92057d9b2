using Overlap.Core.Contracts;
using Overlap.Core.Drift;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;

namespace Overlap.Core.Tests.Monitoring;

public sealed class RetrainAdvisorTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A window by its day: 'F' failed, 'P' passed, '-' unlabelled; drift 'D' drifted, 'S' steady, '-' none.</summary>
    private static WindowReport Window(int day, char verdict, char drift = '-') =>
        new()
        {
            Start = Day0.AddDays(day),
            End = Day0.AddDays(day + 1),
            Predictions = 100,
            Labelled = verdict == '-' ? 0 : 100,
            Evaluation =
                verdict == '-'
                    ? null
                    : new EvaluationReport
                    {
                        Feature = "f",
                        Task = "binary",
                        Verdict = verdict == 'F' ? Verdict.Fail : Verdict.Pass,
                        N = 100,
                        Confidence = 0.95,
                        Metrics = new Dictionary<string, MetricValue>(),
                        Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(),
                        Requirements =
                        [
                            new RequirementResult
                            {
                                Metric = "recall",
                                Min = 0.8,
                                Verdict = verdict == 'F' ? Verdict.Fail : Verdict.Pass,
                                Statement = $"recall on day {day}",
                            },
                        ],
                        Statements = [],
                    },
            Drift =
                drift == '-'
                    ? null
                    : new DriftReport
                    {
                        ReferenceRows = 100,
                        CurrentRows = 100,
                        Columns =
                        [
                            new ColumnDrift
                            {
                                Column = "amount",
                                Kind = "numeric",
                                Test = "wasserstein",
                                Statistic = 0.3,
                                Threshold = 0.1,
                                Drift = drift == 'D',
                                ReferenceN = 100,
                                CurrentN = 100,
                                Distribution = new DistributionSummary
                                {
                                    Bins = [],
                                    Reference = [],
                                    Current = [],
                                },
                            },
                        ],
                        DriftedShare = drift == 'D' ? 1 : 0,
                        DatasetDrift = drift == 'D',
                        Schema = [],
                        Statements = [],
                        Skipped = [],
                    },
        };

    [Fact]
    public void ThreeLabelledFailuresInARow_DespiteUnlabelledLatestWindows_RecommendRetraining()
    {
        var advice = RetrainAdvisor.Advise(
            new RetrainPolicy(3, null),
            [Window(0, 'P'), Window(1, 'F'), Window(2, 'F'), Window(3, 'F'), Window(4, '-'), Window(5, '-')]
        )!;
        Assert.True(advice.Recommended);
        Assert.Equal(
            "Retrain recommended: the last 3 labelled windows each failed a requirement (2026-03-02, 2026-03-03, 2026-03-04).",
            advice.Statement
        );
        Assert.Equal([1, 2, 3], advice.Evidence.Select(e => (e.Start - Day0).Days));
        Assert.Equal(["recall on day 1"], advice.Evidence[0].Details);
    }

    [Fact]
    public void ARunBrokenByAPass_OrTooShort_DoesNot()
    {
        Assert.False(
            RetrainAdvisor
                .Advise(
                    new RetrainPolicy(3, null),
                    [Window(0, 'F'), Window(1, 'F'), Window(2, 'P'), Window(3, 'F'), Window(4, 'F')]
                )!
                .Recommended
        );
        var advice = RetrainAdvisor.Advise(new RetrainPolicy(3, 2), [Window(0, 'F'), Window(1, 'F')])!;
        Assert.False(advice.Recommended);
        Assert.Equal(
            "No retraining needed yet: the contract asks for it when 3 labelled windows in a row fail a requirement or 2 windows in a row drift.",
            advice.Statement
        );
        Assert.Empty(advice.Evidence);
        Assert.Null(RetrainAdvisor.Advise(null, [Window(0, 'F')]));
    }

    [Fact]
    public void TwoDriftedWindowsInARow_RecommendRetrainingWithTheDriftedColumns()
    {
        var advice = RetrainAdvisor.Advise(
            new RetrainPolicy(3, 2),
            [Window(0, 'P', 'S'), Window(1, 'P', 'D'), Window(2, '-', 'D')]
        )!;
        Assert.True(advice.Recommended);
        Assert.Equal(
            "Retrain recommended: the last 2 windows each drifted from the reference (2026-03-02, 2026-03-03).",
            advice.Statement
        );
        Assert.All(advice.Evidence, e => Assert.Equal(("drifted", "amount"), (e.Reason, e.Details.Single())));
    }
}
