using Overlap.Core.Contracts;
using Overlap.Core.Drift;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;

namespace Overlap.Core.Tests.Monitoring;

public sealed class AlertRulesTests
{
    private static readonly Contract Contract = ContractParser.Parse(
        """
        feature: fraud
        task: binary
        labels: { positive: 1, negative: 0 }
        columns: { label: y, score: s, segments: [channel] }
        requirements:
          - { metric: recall, min: 0.8 }
          - { metric: false_positive_rate, max: 0.05 }
          - { metric: recall, by: channel, max_gap: 0.1 }
          - { metric: precision, min: 0.5 }
        monitoring: { window: 1d, min_samples: 100 }
        """
    );

    private static WindowReport Window(int labelled, params Verdict[] verdicts) =>
        new()
        {
            Start = DateTimeOffset.UnixEpoch,
            End = DateTimeOffset.UnixEpoch.AddDays(1),
            Predictions = 500,
            Labelled = labelled,
            Evaluation =
                verdicts.Length == 0
                    ? null
                    : new EvaluationReport
                    {
                        Feature = "fraud",
                        Task = "binary",
                        Verdict = Verdict.Fail,
                        N = labelled,
                        Confidence = 0.95,
                        Metrics = new Dictionary<string, MetricValue>(),
                        Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(),
                        Requirements =
                        [
                            .. verdicts.Select(
                                (v, i) =>
                                    new RequirementResult
                                    {
                                        Metric = "m",
                                        Verdict = v,
                                        Statement = $"requirement {i} {v}",
                                    }
                            ),
                        ],
                        Statements = [],
                    },
        };

    [Fact]
    public void Names_AreStableAndReadable()
    {
        Assert.Equal(
            ["recall min 0.8", "false_positive_rate max 0.05", "recall by channel max_gap 0.1", "precision min 0.5"],
            Contract.Requirements.Select(AlertRules.Name)
        );
    }

    [Fact]
    public void Verdicts_MapToStates_AndAFailNeedsMinSamplesToAlert()
    {
        var enough = AlertRules.Evaluate(
            Contract,
            Window(150, Verdict.Pass, Verdict.Inconclusive, Verdict.Fail, Verdict.Skipped)
        );
        Assert.Equal(
            [AlertState.Ok, AlertState.Warning, AlertState.Alert, AlertState.NoData, AlertState.NoData],
            enough.Select(c => c.State)
        );
        Assert.Equal("requirement 2 Fail", enough[2].Statement);
        Assert.Equal(AlertRules.DriftCheck, enough[^1].Check);

        var few = AlertRules.Evaluate(Contract, Window(99, Verdict.Fail, Verdict.Pass, Verdict.Pass, Verdict.Pass));
        Assert.Equal(AlertState.Warning, few[0].State);
        Assert.Equal("requirement 0 Fail (only 99 labelled examples; an alert needs 100)", few[0].Statement);

        var unlabelled = AlertRules.Evaluate(Contract, Window(0));
        Assert.All(unlabelled.Take(4), c =>
            Assert.Equal((AlertState.NoData, "No labels for this window yet."), (c.State, c.Statement))
        );
    }

    [Fact]
    public void Drift_IsAlertForTheDataSet_WarningForAColumn()
    {
        static DriftReport Drift(bool dataset, bool column) =>
            new()
            {
                ReferenceRows = 10,
                CurrentRows = 10,
                Columns =
                [
                    new ColumnDrift
                    {
                        Column = "a",
                        Kind = "numeric",
                        Test = "wasserstein",
                        Statistic = 0.2,
                        Threshold = 0.1,
                        Drift = column,
                        ReferenceN = 10,
                        CurrentN = 10,
                        Distribution = new DistributionSummary
                        {
                            Bins = [],
                            Reference = [],
                            Current = [],
                        },
                    },
                ],
                DriftedShare = column ? 1 : 0,
                DatasetDrift = dataset,
                Schema = [],
                Statements = ["summary"],
                Skipped = [],
            };
        AlertState StateOf(DriftReport d) => AlertRules.Evaluate(Contract, Window(0) with { Drift = d })[^1].State;
        Assert.Equal(AlertState.Alert, StateOf(Drift(true, true)));
        Assert.Equal(AlertState.Warning, StateOf(Drift(false, true)));
        Assert.Equal(AlertState.Ok, StateOf(Drift(false, false)));
    }
}
