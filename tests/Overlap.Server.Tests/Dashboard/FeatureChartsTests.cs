using System.Globalization;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Monitoring.Charts;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>What the feature page's charts draw and say, built from real evaluations and drift reports.</summary>
public sealed class FeatureChartsTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const string Contract = """
        feature: card-check
        task: binary
        labels: { positive: fraud, negative: legit }
        columns: { label: y, score: s, segments: [tier, region, channel] }
        threshold: 0.5
        costs: { false_positive: 2.0, false_negative: 25.0, currency: EUR }
        requirements:
          - { metric: recall, min: 0.6 }
          - { metric: recall, by: tier, min: 0.5 }
          - { metric: recall, by: region, max_gap: 0.1 }
        """;

    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 600 payments, a third fraudulent: the gold tier's frauds are caught 8 times in 10, the basic tier's twice in 10
    /// (so basic's whole interval lies below its bar of 0.5); a false alarm on every 15th legitimate one.
    /// </summary>
    private static (Contract Contract, EvaluationReport Evaluation) Evaluate(
        string text = Contract,
        bool someWithoutChannel = false
    )
    {
        var contract = ContractParser.Parse(text);
        var csv = new StringBuilder("y,s,tier,region,channel\n");
        for (var i = 0; i < 600; i++)
        {
            var fraud = i % 3 == 0;
            var gold = i % 2 == 0;
            var caught = gold ? (i / 3) % 10 != 0 : (i / 3) % 10 < 2;
            var score = fraud ? (caught ? 0.8 : 0.3) : (i % 15 == 1 ? 0.7 : 0.1);
            score += (i % 7) * 0.01;
            csv.Append(
                Inv,
                $"{(fraud ? "fraud" : "legit")},{score},{(gold ? "gold" : "basic")},{(i % 5 == 0 ? "north" : "south")},{(someWithoutChannel && i % 5 == 1 ? "" : i % 4 == 0 ? "web" : "app")}\n"
            );
        }
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "payments.csv")
        );
        return (contract, Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 0 }));
    }

    [Fact]
    public void TradeOff_IsTheEvaluationsSweep_WithItsThresholdAndOptimum()
    {
        var (_, evaluation) = Evaluate();
        var data = FeatureCharts.TradeOff(evaluation)!;

        var sweep = evaluation.ThresholdSweep!;
        Assert.True(sweep.Count > 50);
        Assert.Equal(
            sweep.Select(p => (p.Threshold, p.CostPer1000)),
            data.Sweep.Select(p => (p.Threshold, p.CostPer1000))
        );
        var cost = evaluation.Cost!;
        Assert.Equal(
            (cost.Threshold, cost.CostPer1000, cost.OptimalThreshold, cost.OptimalCostPer1000, "EUR"),
            (data.Threshold, data.CostPer1000, data.OptimalThreshold, data.OptimalCostPer1000, data.Currency)
        );
        // The optimum is no dearer than any threshold swept, and the contract's threshold costs what the sweep says at 0.5.
        Assert.True(data.Sweep.All(p => p.CostPer1000 >= data.OptimalCostPer1000 - 1e-9));
        Assert.Equal(data.CostPer1000, data.Sweep.Single(p => Math.Abs(p.Threshold - 0.5) < 1e-9).CostPer1000, 9);

        var statement = FeatureCharts.TradeOffStatement(data);
        Assert.StartsWith(
            $"At the threshold 0.5, mistakes cost {cost.CostPer1000.ToString("#,0.##", Inv)} EUR per 1,000 decisions over the last 30 days; the cost-optimal threshold {cost.OptimalThreshold.ToString("0.###", Inv)} would have cost {cost.OptimalCostPer1000.ToString("#,0.##", Inv)} EUR",
            statement,
            StringComparison.Ordinal
        );
        Assert.Equal(
            "At the threshold 0.5, mistakes cost 10 EUR per 1,000 decisions over the last 30 days; no other threshold would have cost less.",
            FeatureCharts.TradeOffStatement(new TradeOffData([new CostPoint(0.5, 10)], 0.5, 10, 0.5, 10, "EUR"))
        );
    }

    [Fact]
    public void TradeOffStatement_OptimumBreaksRecall_AdvisesTheCheapestThresholdThatKeepsTheContract()
    {
        // A false alarm costs 50 times a missed fraud, so the cheapest threshold of all flags almost nothing and recall collapses.
        var (_, evaluation) = Evaluate(
            Contract.Replace(
                "false_positive: 2.0, false_negative: 25.0",
                "false_positive: 50.0, false_negative: 1.0",
                StringComparison.Ordinal
            )
        );
        var data = FeatureCharts.TradeOff(evaluation)!;
        var cost = evaluation.Cost!;
        Assert.Equal(
            (cost.ConstrainedThreshold, cost.ConstrainedCostPer1000),
            (data.ConstrainedThreshold, data.ConstrainedCostPer1000)
        );
        var recall = Assert.Single(data.OptimalEffects!);
        Assert.False(recall.Kept);
        Assert.True(recall.Value < 0.6);
        Assert.True(data.OptimumBreaksContract);
        var kept = data.ConstrainedThreshold!.Value;
        Assert.NotEqual(data.OptimalThreshold, kept);
        Assert.Equal(data.ConstrainedCostPer1000!.Value, data.AdvisedCostPer1000);

        var statement = FeatureCharts.TradeOffStatement(data);
        var money = (double m) => m.ToString("#,0.##", Inv);
        Assert.Equal(
            $"At the threshold 0.5, mistakes cost {money(cost.CostPer1000)} EUR per 1,000 decisions over the last 30 days. "
                + $"The cheapest threshold that keeps every requirement is {kept.ToString("0.###", Inv)}: it would have cost {money(cost.ConstrainedCostPer1000!.Value)} EUR, {money(cost.CostPer1000 - cost.ConstrainedCostPer1000!.Value)} less per 1,000 decisions. "
                + $"The cheapest of all, {cost.OptimalThreshold.ToString("0.###", Inv)} at {money(cost.OptimalCostPer1000)} EUR, would break the contract: "
                + $"recall would be {Overlap.Core.Statements.Phrasing.Percent(recall.Value!.Value)}, below the contract's 60%.",
            statement
        );
    }

    [Fact]
    public void TradeOffStatement_NoThresholdKeepsEveryRequirement_SaysSoAndAdvisesNone()
    {
        // Every fraud caught needs a threshold at or below 0.36, where 1 in 15 legitimate payments is flagged: far above 0.1%.
        var (_, evaluation) = Evaluate(
            Contract
                .Replace(
                    "false_positive: 2.0, false_negative: 25.0",
                    "false_positive: 50.0, false_negative: 1.0",
                    StringComparison.Ordinal
                )
                .Replace(
                    "- { metric: recall, min: 0.6 }",
                    "- { metric: recall, min: 0.99 }\n  - { metric: false_positive_rate, max: 0.001 }",
                    StringComparison.Ordinal
                )
        );
        var data = FeatureCharts.TradeOff(evaluation)!;
        Assert.Null(data.ConstrainedThreshold);
        Assert.Equal(data.CostPer1000, data.AdvisedCostPer1000);
        var statement = FeatureCharts.TradeOffStatement(data);
        Assert.Contains(
            $"over the last 30 days. No threshold keeps every requirement: {evaluation.Cost!.ConstrainedReason}. The cheapest of all, ",
            statement,
            StringComparison.Ordinal
        );
        Assert.Contains("would break the contract: recall would be ", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("less per 1,000", statement, StringComparison.Ordinal);
    }

    [Fact]
    public void TradeOff_NeedsASweepAndCosts()
    {
        var (_, evaluation) = Evaluate();
        Assert.Null(FeatureCharts.TradeOff(evaluation with { Cost = null }));
        Assert.Null(FeatureCharts.TradeOff(evaluation with { ThresholdSweep = null }));
    }

    [Fact]
    public void Segments_AreTheEvaluationsFigures_AndMissTheBarExactlyWhereTheContractFailsThem()
    {
        var (contract, evaluation) = Evaluate();
        var data = FeatureCharts.Segments(evaluation, contract, "recall")!;

        var all = evaluation.Metrics["recall"];
        Assert.Equal((all.Value, all.CiLow, all.CiHigh, 0.95), (data.All, data.AllLow, data.AllHigh, data.Confidence));
        var expected = evaluation
            .Segments.SelectMany(c =>
                c.Value.OrderBy(v => v.Key, StringComparer.Ordinal)
                    .Select(v => (Column: c.Key, Value: v.Key, Result: v.Value))
            )
            .ToList();
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected.Select(e => $"{e.Column} = {e.Value}"), data.Points.Select(p => p.Label));
        Assert.Equal(
            expected.Select(e =>
                (
                    e.Result.N,
                    (double?)e.Result.Metrics["recall"].Value,
                    (double?)e.Result.Metrics["recall"].CiLow,
                    (double?)e.Result.Metrics["recall"].CiHigh
                )
            ),
            data.Points.Select(p => (p.N, p.Figure, p.Low, p.High))
        );

        // tier has its own min 0.5: basic (recall 0.2 of 100 frauds) misses it with its whole interval, gold does not.
        var tier = data.Points.Where(p => p.Column == "tier").ToDictionary(p => p.Value);
        Assert.Equal(0.2, tier["basic"].Figure!.Value, 9);
        Assert.True(tier["basic"].High < 0.5);
        Assert.True(tier["basic"].MissesBar);
        Assert.False(tier["gold"].MissesBar);
        Assert.All(tier.Values, p => Assert.Equal(0.5, p.Bar));
        // region has a max_gap of 0.1: its bar is 0.1 below recall overall, and a region misses it when the evaluation failed it.
        var gap = evaluation.Requirements.Single(r => r.By == "region");
        Assert.All(data.Points.Where(p => p.Column == "region"), p =>
        {
            Assert.Equal(all.Value - 0.1, p.Bar!.Value, 12);
            Assert.Equal(gap.Segments!.Single(s => s.Segment == p.Value).Verdict == Verdict.Fail, p.MissesBar);
        });
        // channel has no requirement of its own: it is held to recall's overall min of 0.6.
        Assert.All(data.Points.Where(p => p.Column == "channel"), p =>
        {
            Assert.Equal(0.6, p.Bar);
            Assert.Equal(p.High < 0.6, p.MissesBar);
        });

        var statement = FeatureCharts.SegmentStatement(data);
        var missing = data.Points.Where(p => p.MissesBar).ToList();
        Assert.StartsWith(
            string.Create(
                Inv,
                $"Recall over every labelled prediction is {all.Value:0.000} ({all.CiLow:0.000} to {all.CiHigh:0.000}). {missing.Count} segment"
            ),
            statement,
            StringComparison.Ordinal
        );
        Assert.Contains(
            string.Create(
                Inv,
                $"tier = basic at 0.200 ({tier["basic"].Low:0.000} to {tier["basic"].High:0.000}) against a bar of 0.5"
            ),
            statement,
            StringComparison.Ordinal
        );
        Assert.Null(FeatureCharts.Segments(evaluation, contract, "no_such_metric"));
    }

    [Fact]
    public void SegmentStatement_RowsWithoutAChannel_AreTheMissingGroup_SaidInWords()
    {
        // Every fifth payment (120 of 600, frauds among them) says no channel.
        var (contract, evaluation) = Evaluate(someWithoutChannel: true);
        var data = FeatureCharts.Segments(evaluation, contract, "recall")!;
        var missing = data.Points.Single(p => p.Label == "channel = (missing)");
        Assert.Equal(120, missing.N);
        Assert.NotNull(missing.Figure);
        Assert.Equal(evaluation.Segments["channel"]["(missing)"].Metrics["recall"].Value, missing.Figure);
        Assert.EndsWith(
            " 120 labelled predictions have no channel; they are the group channel = (missing).",
            FeatureCharts.SegmentStatement(data),
            StringComparison.Ordinal
        );
    }

    /// <summary>A numeric and a categorical column: the current one shifted and with a category never seen.</summary>
    private static (DriftReport Drifted, DriftReport Stable) Drift()
    {
        static Table Read(string csv) =>
            TableReader.Read(
                new MemoryStream(Encoding.UTF8.GetBytes(csv)),
                DataFormat.Csv,
                new TableReadOptions { Source = "rows.csv" }
            );
        var reference = new StringBuilder("amount,channel\n");
        var shifted = new StringBuilder("amount,channel\n");
        var same = new StringBuilder("amount,channel\n");
        for (var i = 0; i < 400; i++)
        {
            reference.Append(Inv, $"{10 + (i % 50)},{(i % 3 == 0 ? "web" : "app")}\n");
            shifted.Append(Inv, $"{30 + (i % 50)},{(i % 10 == 0 ? "kiosk" : i % 3 == 0 ? "web" : "app")}\n");
            same.Append(Inv, $"{10 + ((i + 7) % 50)},{(i % 3 == 1 ? "web" : "app")}\n");
        }
        var options = new DriftOptions { Feature = "card-check" };
        return (
            DriftAnalyzer.Analyze(Read(reference.ToString()), Read(shifted.ToString()), options),
            DriftAnalyzer.Analyze(Read(reference.ToString()), Read(same.ToString()), options)
        );
    }

    private static MonitoringReport Report(params DriftReport?[] drift) =>
        new()
        {
            Feature = "card-check",
            ContractVersion = 1,
            Window = "1d",
            Windows =
            [
                .. drift.Select(
                    (d, i) =>
                        new WindowReport
                        {
                            Start = Start.AddDays(i),
                            End = Start.AddDays(i + 1),
                            Predictions = 400,
                            Labelled = 0,
                            Drift = d,
                        }
                ),
            ],
        };

    [Fact]
    public void DriftWindows_AreTheWindowsTested_EachColumnWithTheSharesOfItsDistributionSummary()
    {
        var (drifted, stable) = Drift();
        var windows = FeatureCharts.DriftWindows(Report(stable, null, drifted));

        Assert.Equal([Start, Start.AddDays(2)], windows.Select(w => w.Start));
        var latest = windows[1];
        Assert.Equal(
            (drifted.DatasetDrift, drifted.DriftedShare, drifted.Statements[0]),
            (latest.DatasetDrift, latest.DriftedShare, latest.Summary)
        );
        Assert.Equal(drifted.Columns.Select(c => c.Column), latest.Columns.Select(c => c.Column));
        foreach (var (column, overlay) in drifted.Columns.Zip(latest.Columns))
        {
            Assert.Equal(
                (column.Kind, column.Test, column.Statistic, column.PValue, column.Threshold, column.Drift),
                (overlay.Kind, overlay.Test, overlay.Statistic!.Value, overlay.PValue, overlay.Threshold, overlay.Drift)
            );
            Assert.True(column.Distribution!.Bins.Count > 1);
            Assert.Equal(column.Distribution.Bins, overlay.Bins);
            Assert.Equal(column.Distribution.Reference, overlay.Reference);
            Assert.Equal(column.Distribution.Current, overlay.Current);
        }
        // The category never seen is drawn with no reference share.
        var channel = latest.Columns.Single(c => c.Column == "channel");
        var kiosk = Array.IndexOf(channel.Bins, "kiosk");
        Assert.Equal((0.0, 0.1), (channel.Reference[kiosk], channel.Current[kiosk]));
        Assert.True(channel.Drift);
        Assert.False(windows[0].Columns.Single(c => c.Column == "amount").Drift);
    }

    [Fact]
    public void SchemaChanges_AreListedWithTheWindowTheyAppearedIn()
    {
        var (drifted, stable) = Drift();
        var changes = FeatureCharts.SchemaChanges(Report(stable, null, drifted, drifted));

        Assert.NotEmpty(drifted.Schema);
        Assert.Empty(stable.Schema);
        Assert.Equal(
            [
                .. drifted.Schema.Select(s => (Start.AddDays(2), s)),
                .. drifted.Schema.Select(s => (Start.AddDays(3), s)),
            ],
            changes
        );
        Assert.Contains(changes, c =>
            c.Change.Change == "unseen_categories"
            && c.Change.Column == "channel"
            && c.Change.Detail.Contains("'kiosk'", StringComparison.Ordinal)
        );
        Assert.Empty(FeatureCharts.SchemaChanges(Report(stable, null)));
    }

    [Fact]
    public void Segments_ValueHoldingMarkup_IsPlainTextOnTheChart()
    {
        var contract = ContractParser.Parse(Contract);
        var csv = new StringBuilder("y,s,tier,region,channel\n");
        for (var i = 0; i < 40; i++)
        {
            csv.Append(
                Inv,
                $"{(i % 2 == 0 ? "fraud" : "legit")},{(i % 2 == 0 ? 0.8 : 0.2)},gold,north,{(i % 4 < 2 ? "<a href=https://example.invalid>win</a> & <br>" : "web")}\n"
            );
        }
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "payments.csv")
        );
        var data = FeatureCharts.Segments(
            Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 0 }),
            contract,
            "recall"
        )!;
        var point = data.Points.Single(p => p.Column == "channel" && p.Value.StartsWith('<'));
        // The sentence (escaped by Razor) keeps the value as it is; the chart's label carries no tag Plotly would draw.
        Assert.Equal("channel = <a href=https://example.invalid>win</a> & <br>", point.Label);
        Assert.Equal(
            "channel = &lt;a href=https://example.invalid&gt;win&lt;/a&gt; &amp; &lt;br&gt;",
            point.ChartLabel
        );
        Assert.DoesNotContain('<', point.ChartLabel);
        Assert.Equal("web", FeatureCharts.PlainText("web"));
    }

    [Fact]
    public void Overlay_CategoryHoldingMarkup_IsPlainTextOnTheChart()
    {
        var overlay = FeatureCharts.Overlay(
            new ColumnDrift
            {
                Column = "channel",
                Kind = "categorical",
                Test = "chi_square",
                Statistic = 1,
                PValue = 0.5,
                Threshold = 0.05,
                Drift = false,
                Distribution = new DistributionSummary
                {
                    Bins = ["<a href=x>y</a>", "web"],
                    Reference = [0.5, 0.5],
                    Current = [0.4, 0.6],
                },
            }
        );
        Assert.Equal(["&lt;a href=x&gt;y&lt;/a&gt;", "web"], overlay.Bins);
    }

    [Fact]
    public void DriftTests_AreSaidWithTheirStatisticPValueAndVerdict()
    {
        Assert.Equal(
            "Chi-square 54.2, p < 0.0001 (drift below p = 0.05): drifted",
            FeatureCharts.DriftTestStatement(
                new DriftOverlay("channel", "categorical", "chi_square", 54.2, 1e-9, 0.05, true, [], [], [])
            )
        );
        Assert.Equal(
            "Kolmogorov–Smirnov 0.0612, p = 0.3127 (drift below p = 0.05): stable",
            FeatureCharts.DriftTestStatement(
                new DriftOverlay("amount", "numeric", "ks", 0.0612, 0.31268, 0.05, false, [], [], [])
            )
        );
        Assert.Equal(
            "Wasserstein distance (over the reference's standard deviation) 0.4213 (drift at 0.1 or more): drifted",
            FeatureCharts.DriftTestStatement(
                new DriftOverlay("amount", "numeric", "wasserstein", 0.42131, null, 0.1, true, [], [], [])
            )
        );
        // A column with too few values is not judged: never "stable" on the page.
        var few = FeatureCharts.Overlay(
            new ColumnDrift
            {
                Column = "amount",
                Kind = "numeric",
                Test = "ks",
                Statistic = double.NaN,
                Threshold = 0.05,
                Reason = "not enough data: 3 values in the current data, at least 30 needed",
            }
        );
        Assert.Null(few.Drift);
        Assert.Equal(
            "Kolmogorov–Smirnov: not judged (not enough data: 3 values in the current data, at least 30 needed)",
            FeatureCharts.DriftTestStatement(few)
        );
        Assert.Equal(
            "PSI not computed (drift at 0.25 or more): stable",
            FeatureCharts.DriftTestStatement(
                FeatureCharts.Overlay(
                    new ColumnDrift
                    {
                        Column = "x",
                        Kind = "numeric",
                        Test = "psi",
                        Statistic = double.NaN,
                        Threshold = 0.25,
                        Drift = false,
                    }
                )
            )
        );
    }

    [Fact]
    public void RangeStatements_StateTheSummarysFigures()
    {
        var (_, evaluation) = Evaluate();
        var range = new RangeReport
        {
            Feature = "card-check",
            ContractVersion = 1,
            Window = "1d",
            From = Start,
            To = Start.AddDays(30),
            Windows = 30,
            Predictions = 12_345,
            Labelled = 600,
            LatencyMs = new LatencySummary(12_345, 61.24, 140.06, 180),
            CostTotal = 18.7249,
            CostMean = 0.00151,
            Evaluation = evaluation,
            DriftTestedWindows = 28,
            DriftedWindows = 2,
            DriftedColumns = new Dictionary<string, int> { ["items"] = 2, ["amount"] = 11 },
            Precision = RangeMonitor.Precision,
        };
        WindowPoint[] windows =
        [
            new(Start, 400, 20, 60, 150.44, 190, 0.6, 300),
            new(Start.AddDays(1), 0, 0, null, null, null, null, null),
            new(Start.AddDays(2), 500, 0, 58, 120, 170, 0.7, null),
        ];

        Assert.Equal(
            "12,345 predictions in the last 30 days, 600 of them with a label so far. Half were answered within 61.2 ms and 95% within 140.1 ms; the slowest window, 2026-11-01 00:00, had a 95th percentile of 150.4 ms.",
            FeatureCharts.VolumeStatement(range, windows)
        );
        Assert.Equal(
            $"The model's calls cost 18.72 in all (0.0015 a call, in the unit the application sends). Its mistakes on the labelled predictions cost {evaluation.Cost!.CostPer1000.ToString("#,0.##", Inv)} EUR per 1,000 decisions.",
            FeatureCharts.CostStatement(range)
        );
        Assert.Equal(
            "28 windows were compared with the reference; 2 of them drifted as a data set (at least half of their columns); columns drifted in amount (11 windows), items (2 windows).",
            FeatureCharts.DriftStatement(range)
        );
        var recall = evaluation.Metrics["recall"];
        Assert.Equal(
            string.Create(
                Inv,
                $"Recall over the last 30 days is {recall.Value:0.000} ({recall.CiLow:0.000} to {recall.CiHigh:0.000}) on the 600 labelled predictions."
            ),
            FeatureCharts.KeyMetricStatement(range, "recall")
        );

        // The spam demo's case: an estimate far outside the realised interval is said to be wrong, by how much.
        var off = range with
        {
            Estimated = new EstimatedPerformance
            {
                N = 12_345,
                Recalibrated = false,
                ExpectedTp = 1,
                ExpectedFp = 1,
                ExpectedFn = 1,
                ExpectedTn = 1,
                Metrics = new Dictionary<string, MetricValue>
                {
                    ["recall"] = new(recall.CiLow - 0.3, recall.CiLow - 0.32, recall.CiLow - 0.28, 12_345),
                },
            },
        };
        Assert.EndsWith(
            string.Create(
                Inv,
                $" The estimate is {recall.Value - (recall.CiLow - 0.3):0.000} below the realised figure, outside its interval: it does not describe these predictions any more, so trust the realised figure and recalibrate the estimate on recent labels."
            ),
            FeatureCharts.KeyMetricStatement(off, "recall")
        );
        var close = off with
        {
            Estimated = off.Estimated! with
            {
                Metrics = new Dictionary<string, MetricValue>
                {
                    ["recall"] = new(recall.Value, recall.CiLow, recall.CiHigh, 12_345),
                },
            },
        };
        Assert.DoesNotContain(
            "The estimate is",
            FeatureCharts.KeyMetricStatement(close, "recall"),
            StringComparison.Ordinal
        );

        var quiet = range with
        {
            Predictions = 0,
            Labelled = 0,
            LatencyMs = null,
            CostTotal = null,
            CostMean = null,
            Evaluation = null,
            DriftTestedWindows = 0,
            DriftedWindows = 0,
        };
        Assert.Equal("No predictions in the last 30 days.", FeatureCharts.VolumeStatement(quiet, []));
        Assert.Equal(
            "No prediction sent what its call cost. No labelled predictions yet, so no cost of mistakes.",
            FeatureCharts.CostStatement(quiet)
        );
        Assert.StartsWith(
            "No window was compared with a reference",
            FeatureCharts.DriftStatement(quiet),
            StringComparison.Ordinal
        );
        Assert.Equal(
            "Recall has no labelled predictions to rest on yet.",
            FeatureCharts.KeyMetricStatement(quiet, "recall")
        );
    }

    [Fact]
    public void KeyMetric_IsRealisedAndEstimatedPerWindow_NullWhereMissing()
    {
        var (_, evaluation) = Evaluate();
        var report = Report(null, null) with
        {
            Windows =
            [
                new WindowReport
                {
                    Start = Start,
                    End = Start.AddDays(1),
                    Predictions = 600,
                    Labelled = 600,
                    Evaluation = evaluation,
                },
                new WindowReport
                {
                    Start = Start.AddDays(1),
                    End = Start.AddDays(2),
                    Predictions = 0,
                    Labelled = 0,
                },
            ],
        };
        var points = FeatureCharts.KeyMetric(report, "recall");

        var recall = evaluation.Metrics["recall"];
        Assert.Equal(new MetricPoint(Start, recall.Value, recall.CiLow, recall.CiHigh, null, null, null), points[0]);
        Assert.Equal(new MetricPoint(Start.AddDays(1), null, null, null, null, null, null), points[1]);
    }

    [Fact]
    public async Task DriftPanel_ShowsTheLatestWindowFirst_AndAnotherWhenPicked()
    {
        var (drifted, stable) = Drift();
        var windows = FeatureCharts.DriftWindows(Report(stable, drifted));
        await using var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var panel = context.Render<DriftPanel>(p => p.Add(c => c.Windows, windows));

        Assert.Equal("2026-11-02 00:00", panel.Find("[data-testid=drift-window]").GetAttribute("value"));
        Assert.Equal(
            $"2026-11-02 00:00: {drifted.Statements[0]}",
            panel.Find("[data-testid=drift-summary]").TextContent.Trim()
        );
        Assert.Equal(
            drifted.Columns.Select(c => c.Column),
            panel.FindAll("[data-testid=drift-column]").Select(e => e.GetAttribute("data-column"))
        );
        Assert.Equal(
            drifted.Columns.Select(c => FeatureCharts.DriftTestStatement(FeatureCharts.Overlay(c))),
            panel.FindAll("[data-testid=drift-test]").Select(e => e.TextContent.Split(" · ", 2)[1].Trim())
        );

        panel.Find("[data-testid=drift-window]").Change("2026-11-01 00:00");
        Assert.Equal(
            $"2026-11-01 00:00: {stable.Statements[0]}",
            panel.Find("[data-testid=drift-summary]").TextContent.Trim()
        );

        var empty = context.Render<DriftPanel>(p => p.Add(c => c.Windows, []));
        Assert.Equal("No window has a drift report to show.", empty.Find("[data-testid=no-drift]").TextContent.Trim());
    }
}
