using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Provenance;
using Overlap.Core.Reports;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Evaluation;

/// <summary>
/// Two runs on different examples compared as independent samples, against statsmodels (Newcombe's interval, the pooled
/// z-test) and against the bootstrap distribution of the difference (numpy), from Fixtures/runs/make_run_comparison_fixtures.py.
/// </summary>
public sealed class RunComparerTests
{
    private static readonly JsonElement Fixtures = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "runs", "run_comparison.json")))
        .RootElement;

    private static MetricValue Rate(long x, long n, double confidence)
    {
        var interval = Wilson.Interval(x, n, confidence);
        return new MetricValue((double)x / n, interval.Low, interval.High, n);
    }

    private static void AssertNewcombe(JsonElement expected, MetricComparison actual, string where)
    {
        Assert.Equal("newcombe", actual.Method);
        Assert.False(actual.Approximate);
        Assert.True(
            Math.Abs(expected.GetProperty("low").GetDouble() - actual.CiLow!.Value) < 1e-9,
            $"{where}: low {actual.CiLow} vs {expected.GetProperty("low")}"
        );
        Assert.True(
            Math.Abs(expected.GetProperty("high").GetDouble() - actual.CiHigh!.Value) < 1e-9,
            $"{where}: high {actual.CiHigh} vs {expected.GetProperty("high")}"
        );
        var p = expected.GetProperty("p_value");
        var pooledIsDegenerate = p.ValueKind == JsonValueKind.Null;
        Assert.True(
            pooledIsDegenerate ? actual.PValue == 1 : Math.Abs(p.GetDouble() - actual.PValue!.Value) < 1e-9,
            $"{where}: p {actual.PValue} vs {p}"
        );
        Assert.Equal(actual.CiLow > 0 || actual.CiHigh < 0, actual.Significant);
    }

    [Fact]
    public void Rates_GetNewcombesInterval_AndThePooledZTest_AsStatsmodels()
    {
        foreach (var c in Fixtures.GetProperty("newcombe").EnumerateArray())
        {
            var confidence = c.GetProperty("confidence").GetDouble();
            var (xa, na, xb, nb) = (
                c.GetProperty("xa").GetInt64(),
                c.GetProperty("na").GetInt64(),
                c.GetProperty("xb").GetInt64(),
                c.GetProperty("nb").GetInt64()
            );
            var compared = RunComparer.CompareMetric(
                "recall",
                Rate(xa, na, confidence),
                Rate(xb, nb, confidence),
                confidence
            );
            AssertNewcombe(c, compared, $"{xa}/{na} vs {xb}/{nb} at {confidence}");
            Assert.Equal((double)xb / nb - (double)xa / na, compared.Difference!.Value, 12);
        }
    }

    [Fact]
    public void ScoreMetrics_FromTheTwoBootstrapIntervals_AreWithinTwoPercentOfTheBootstrapDifference_AndMarkedApproximate()
    {
        foreach (var c in Fixtures.GetProperty("bootstrap").EnumerateArray())
        {
            var metric = c.GetProperty("metric").GetString()!;
            var a = new MetricValue(
                c.GetProperty("a").GetDouble(),
                c.GetProperty("a_low").GetDouble(),
                c.GetProperty("a_high").GetDouble(),
                c.GetProperty("na").GetInt64()
            );
            var b = new MetricValue(
                c.GetProperty("b").GetDouble(),
                c.GetProperty("b_low").GetDouble(),
                c.GetProperty("b_high").GetDouble(),
                c.GetProperty("nb").GetInt64()
            );
            var compared = RunComparer.CompareMetric(metric, a, b, 0.95);
            Assert.Equal("mover_bootstrap", compared.Method);
            Assert.True(compared.Approximate);
            Assert.Contains("approximate", compared.Statement, StringComparison.Ordinal);
            var (low, high) = (
                c.GetProperty("difference_low").GetDouble(),
                c.GetProperty("difference_high").GetDouble()
            );
            var width = high - low;
            var where = $"{metric} n {a.N}/{b.N}: [{compared.CiLow}, {compared.CiHigh}] vs bootstrap [{low}, {high}]";
            // 4,000 independent resamples of each run: MOVER lands within 2% of the interval's width of the percentile
            // interval of the resampled differences in every case of the fixture (the widest miss there is 1.6%).
            Assert.True(Math.Abs(compared.CiLow!.Value - low) < 0.02 * width, where);
            Assert.True(Math.Abs(compared.CiHigh!.Value - high) < 0.02 * width, where);
        }
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Overlap.slnx")))
        {
            dir = dir.Parent;
        }
        return dir.FullName;
    }

    private static EvaluationReport Evaluate(Contract contract, string file)
    {
        var path = Path.Combine(Root(), "examples", "payments-fraud", file);
        using var stream = File.OpenRead(path);
        var table = TableReader.Read(stream, DataFormat.Csv, Evaluator.ReadOptions(contract, path));
        return Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 200 });
    }

    [Fact]
    public void TwoRunsOfTheSameFile_AreSaidToBeTheSameExamples_NotDifferentOnes()
    {
        var contract = ContractParser.Parse(
            File.ReadAllText(Path.Combine(Root(), "examples", "payments-fraud", "overlap.yaml")),
            "overlap.yaml"
        );
        var file = new DataFileProvenance(
            "data",
            "scored.csv",
            "9ab31b4f078e3de916ff76927f33f406c113e3da944e669d42b3a7c51f70e387",
            6000
        );
        RunProvenance Stamp() =>
            new()
            {
                OverlapVersion = "test",
                Data = [file],
                CreatedAt = DateTimeOffset.UnixEpoch,
            };
        var a = Evaluate(contract, "scored.csv") with { Provenance = Stamp() };
        var b = Evaluate(contract with { Threshold = 0.3 }, "scored.csv") with { Provenance = Stamp() };
        var comparison = RunComparer.Compare(a, "strict", b, "lenient");
        Assert.Contains(
            "Both runs read the same data file, scored.csv (6,000 rows, SHA-256 9ab31b4f078e…): the same examples with the same scores, so what differs is the contract they were judged by (its threshold, bars or columns), not the model.",
            comparison.Statements
        );
        Assert.DoesNotContain(comparison.Statements, t =>
            t.Contains("if they are the same examples", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void TwoExampleRuns_ReadBackFromTheirJson_MatchStatsmodels_OverallAndPerChannel()
    {
        var contract = ContractParser.Parse(
            File.ReadAllText(Path.Combine(Root(), "examples", "payments-fraud", "overlap.yaml")),
            "overlap.yaml"
        );
        // Compared as the server compares them: from the JSON the reports were stored as.
        var a = ReportJson.ReadEvaluation(ReportJson.Write(Evaluate(contract, "scored.csv")))!;
        var b = ReportJson.ReadEvaluation(ReportJson.Write(Evaluate(contract, "current.csv")))!;
        var comparison = RunComparer.Compare(a, "January", b, "March");
        var examples = Fixtures.GetProperty("examples");
        foreach (var expected in examples.GetProperty("overall").EnumerateObject())
        {
            var metric = comparison.Metrics.Single(m => m.Metric == expected.Name);
            Assert.Equal(expected.Value.GetProperty("na").GetInt64(), metric.A!.N);
            Assert.Equal(expected.Value.GetProperty("nb").GetInt64(), metric.B!.N);
            AssertNewcombe(expected.Value, metric, expected.Name);
        }
        foreach (var channel in examples.GetProperty("channel").EnumerateObject())
        {
            var segment = comparison.Segments.Single(s => s.Column == "channel" && s.Value == channel.Name);
            foreach (var expected in channel.Value.EnumerateObject())
            {
                AssertNewcombe(
                    expected.Value,
                    segment.Metrics.Single(m => m.Metric == expected.Name),
                    $"channel {channel.Name} {expected.Name}"
                );
            }
        }
        // Score metrics come from the bootstrap intervals, marked approximate; each requirement sits beside its twin.
        Assert.All(comparison.Metrics.Where(m => m.Metric is "roc_auc" or "brier" or "f1"), m =>
            Assert.True(m.Approximate && m.CiLow < m.Difference && m.Difference < m.CiHigh)
        );
        Assert.Equal(a.Requirements.Count, comparison.Requirements.Count);
        Assert.All(comparison.Requirements, r => Assert.Equal(r.A!.Verdict != r.B!.Verdict, r.Changed));
        Assert.Equal(
            ReportJson.Write(comparison),
            ReportJson.Write(ReportJson.ReadRunComparison(ReportJson.Write(comparison))!)
        );
    }

    [Fact]
    public void Statements_SayWhichWayAndWhetherItIsReal_InPlainWords()
    {
        var higher = RunComparer.CompareMetric(
            "recall",
            Rate(80, 100, 0.95),
            Rate(95, 100, 0.95),
            0.95,
            "model v1",
            "model v2"
        );
        Assert.True(higher.Significant);
        Assert.Equal("better", higher.Direction);
        Assert.StartsWith(
            "model v2's recall is higher than model v1's by 0.150 (",
            higher.Statement,
            StringComparison.Ordinal
        );
        Assert.EndsWith("): a real difference, for the better.", higher.Statement, StringComparison.Ordinal);
        // A false-positive rate that falls is better; the interval of the fall is said in the same direction as the words.
        var lower = RunComparer.CompareMetric("false_positive_rate", Rate(60, 1000, 0.95), Rate(30, 1000, 0.95), 0.95);
        Assert.Equal("better", lower.Direction);
        Assert.Contains(
            $"lower than A's by 0.030 ({-lower.CiHigh!.Value:0.000} to {-lower.CiLow!.Value:0.000})",
            lower.Statement,
            StringComparison.Ordinal
        );
        var noise = RunComparer.CompareMetric("recall", Rate(40, 50, 0.95), Rate(42, 50, 0.95), 0.95);
        Assert.False(noise.Significant);
        Assert.Equal("no_real_difference", noise.Direction);
        Assert.EndsWith(
            "not distinguishable from noise with these examples.",
            noise.Statement,
            StringComparison.Ordinal
        );
        var missing = RunComparer.CompareMetric(
            "precision",
            new MetricValue(double.NaN, double.NaN, double.NaN, 0),
            Rate(3, 4, 0.95),
            0.95
        );
        Assert.Equal(("none", "not_comparable", null), (missing.Method, missing.Direction, missing.Difference));
    }

    [Fact]
    public void Compare_APositiveRateThatReallyMoved_IsHigherOrLower_NeverBetterOrWorse_AndTheSummarySaysSo()
    {
        var a = Report(("positive_rate", Rate(100, 1000, 0.95)), ("recall", Rate(80, 100, 0.95)));
        var b = Report(("positive_rate", Rate(200, 1000, 0.95)), ("recall", Rate(81, 100, 0.95)));
        var comparison = RunComparer.Compare(a, "v1", b, "v2");
        var rate = comparison.Metrics.Single(m => m.Metric == "positive_rate");
        Assert.Equal("higher", rate.Direction);
        Assert.DoesNotContain("better", rate.Statement, StringComparison.Ordinal);
        Assert.DoesNotContain("worse", rate.Statement, StringComparison.Ordinal);
        // The summary names the move and never says nothing is real while the table says positive rate really moved.
        Assert.Equal(
            "v2 is neither really better nor really worse than v1 at 95% confidence (positive rate is really higher, which is neither better nor worse in itself); every other difference is noise.",
            comparison.Statements[1]
        );
        Assert.False(comparison.SameExamples);
    }

    [Fact]
    public void Compare_RunsOnTheSameExamples_OneWithTheOtherAsBaseline_AreSaidToBeTheSame_AndAgreeWithThePairedBlock()
    {
        var contract = ContractParser.Parse(
            File.ReadAllText(Path.Combine(Root(), "examples", "payments-fraud", "overlap.yaml")),
            "overlap.yaml"
        );
        var folder = Path.Combine(Root(), "examples", "payments-fraud");
        // The baseline model's scores on the same payments, as a data file of its own (run A).
        var baselineScores = File.ReadLines(Path.Combine(folder, "baseline.csv"))
            .Skip(1)
            .Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => f[2], StringComparer.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(folder, "scored.csv"));
        var score = Array.IndexOf(lines[0].Split(','), contract.Columns.Score);
        var baselineCsv = string.Join(
            '\n',
            lines.Select(
                (l, i) =>
                    i == 0
                        ? l
                        : string.Join(
                            ',',
                            l.Split(',').Select((f, j) => j == score ? baselineScores[l.Split(',')[0]] : f)
                        )
            )
        );
        var a = Read(contract, baselineCsv, baseline: null);
        var b = Read(contract, string.Join('\n', lines), File.ReadAllText(Path.Combine(folder, "baseline.csv")));
        var comparison = RunComparer.Compare(
            ReportJson.ReadEvaluation(ReportJson.Write(a))!,
            "v1",
            ReportJson.ReadEvaluation(ReportJson.Write(b))!,
            "v2"
        );

        Assert.True(comparison.SameExamples);
        Assert.Equal(
            "Both runs are on the same 6,000 examples: v2 was evaluated with v1 as its baseline, so the metrics that comparison measured are compared paired, which is sharper than comparing independent samples.",
            comparison.Statements[1]
        );
        Assert.DoesNotContain(comparison.Statements, s =>
            s.Contains("if they are the same examples", StringComparison.Ordinal)
        );
        // Every metric the paired block measured has the paired block's verdict in the table, so the page says one thing.
        var paired = b.Comparison!.Differences;
        Assert.NotEmpty(paired);
        foreach (var d in paired)
        {
            var m = comparison.Metrics.Single(x => x.Metric == d.Metric);
            Assert.Equal(
                (d.Method, d.Significant, d.Direction, d.CiLow is null),
                (m.Method, m.Significant, m.Direction, m.CiLow is null)
            );
            Assert.Equal(d.Difference, m.Difference!.Value, 9);
            Assert.Equal(d.CiLow ?? 0, m.CiLow ?? 0, 9);
            Assert.Equal(d.CiHigh ?? 0, m.CiHigh ?? 0, 9);
            Assert.Contains("(paired: the same examples scored by both models", m.Statement, StringComparison.Ordinal);
        }
        // The summary's better and worse are the paired block's.
        var better = paired.Where(d => d.Direction == "better").Select(d => Phrasing.Name(d.Metric));
        Assert.All(better, name =>
            Assert.Contains(name, comparison.Statements[2].Split(" and really worse on ")[0], StringComparison.Ordinal)
        );
        // Reversed (A carries the comparison, B is its baseline): the same, with B − A the other way round.
        var reversed = RunComparer.Compare(b, "v2", a, "v1");
        Assert.True(reversed.SameExamples);
        foreach (var d in paired.Where(d => d.CiLow is not null))
        {
            var m = reversed.Metrics.Single(x => x.Metric == d.Metric);
            Assert.Equal(-d.CiHigh!.Value, m.CiLow!.Value, 9);
            Assert.Equal(-d.CiLow!.Value, m.CiHigh!.Value, 9);
        }
    }

    private static EvaluationReport Read(Contract contract, string csv, string? baseline)
    {
        var table = TableReader.Read(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "data.csv")
        );
        var other = baseline is null
            ? null
            : TableReader.Read(
                new MemoryStream(System.Text.Encoding.UTF8.GetBytes(baseline)),
                DataFormat.Csv,
                Evaluator.BaselineReadOptions(contract, "baseline.csv")
            );
        return Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 200, Baseline = other });
    }

    /// <summary>A report with only these overall figures (and no requirement): enough for the comparer.</summary>
    private static EvaluationReport Report(params (string Metric, MetricValue Value)[] metrics)
    {
        var contract = ContractParser.Parse(
            File.ReadAllText(Path.Combine(Root(), "examples", "payments-fraud", "overlap.yaml")),
            "overlap.yaml"
        );
        var report = Evaluate(contract, "current.csv");
        return report with
        {
            N = metrics[0].Value.N,
            Metrics = metrics.ToDictionary(m => m.Metric, m => m.Value, StringComparer.Ordinal),
            Requirements = [],
            Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(),
            Comparison = null,
            Confusion = null,
        };
    }
}
