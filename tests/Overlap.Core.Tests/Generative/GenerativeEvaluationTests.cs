using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Statistics;
using Overlap.Core.Tests.Contracts;

namespace Overlap.Core.Tests.Generative;

/// <summary>
/// The evaluation of examples/support-replies against figures from Fixtures/generative/make_generative_fixtures.py
/// (its own checks; statsmodels' Wilson intervals; numpy means and percentiles), and each bootstrap interval against
/// the percentiles of the statistic recomputed naively on every replicate's draws.
/// </summary>
public sealed class GenerativeEvaluationTests
{
    private static readonly string Folder = Path.Combine(ContractSchemaTests.Root, "examples", "support-replies");
    private static readonly JsonElement Fixture = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "generative", "generative.json")))
        .RootElement;

    private static Contract ExampleContract() =>
        ContractParser.Parse(File.ReadAllText(Path.Combine(Folder, "overlap.yaml")), "overlap.yaml");

    private static Table Read(Contract contract, string jsonl)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(jsonl));
        return TableReader.Read(stream, DataFormat.JsonLines, Evaluator.ReadOptions(contract, "cases.jsonl"));
    }

    private static EvaluationReport Example(EvaluationOptions? options = null)
    {
        var contract = ExampleContract();
        return Evaluator.Evaluate(
            contract,
            Read(contract, File.ReadAllText(Path.Combine(Folder, "cases.jsonl"))),
            options
        );
    }

    [Fact]
    public void EveryRate_MatchesStatsmodels_AndEveryPoint_Numpy_InEveryGroup()
    {
        var report = Example();
        Assert.Equal(Fixture.GetProperty("n").GetInt64(), report.N);
        Assert.Equal("generative", report.Task);
        foreach (var group in Fixture.GetProperty("groups").EnumerateObject())
        {
            var metrics =
                group.Name == "overall"
                    ? report.Metrics
                    : report.Segments[group.Name.Split('=')[0]][group.Name.Split('=')[1]].Metrics;
            foreach (var expected in group.Value.EnumerateObject())
            {
                var what = $"{group.Name} {expected.Name}";
                var actual = metrics[expected.Name];
                Assert.True(expected.Value.GetProperty("n").GetInt64() == actual.N, what + " n");
                var value = expected.Value.GetProperty("value");
                if (value.ValueKind == JsonValueKind.Null)
                {
                    Assert.True(double.IsNaN(actual.Value), what);
                    Assert.False(string.IsNullOrEmpty(actual.Reason), what + " reason");
                    continue;
                }
                Assert.True(Math.Abs(value.GetDouble() - actual.Value) < 1e-9, $"{what}: {value} vs {actual.Value}");
                if (expected.Value.TryGetProperty("ci_low", out var low))
                {
                    Assert.True(Math.Abs(low.GetDouble() - actual.CiLow) < 1e-9, what + " low");
                    Assert.True(
                        Math.Abs(expected.Value.GetProperty("ci_high").GetDouble() - actual.CiHigh) < 1e-9,
                        what + " high"
                    );
                }
            }
        }
    }

    [Theory]
    [InlineData("rubric.tone.mean")]
    [InlineData("tokens_per_output")]
    [InlineData("cost_per_1000")]
    [InlineData("latency_p95_ms")]
    public void BootstrapInterval_IsThePercentileOfTheNaiveReplicates(string metric)
    {
        var options = new EvaluationOptions { Resamples = 200, Seed = 7 };
        var report = Example(options);
        var rows = File.ReadAllLines(Path.Combine(Folder, "cases.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement);
        double[] values = metric switch
        {
            "rubric.tone.mean" =>
            [
                .. rows.Select(r => r.GetProperty("rubric.tone"))
                    .Where(t => t.ValueKind == JsonValueKind.Number)
                    .Select(t => t.GetDouble()),
            ],
            "tokens_per_output" => [.. rows.Select(r => r.GetProperty("tokens").GetDouble())],
            "cost_per_1000" => [.. rows.Select(r => r.GetProperty("cost").GetDouble() * 1000)],
            _ => [.. rows.Select(r => r.GetProperty("latency_ms").GetDouble()).Order()],
        };
        var replicates = new double[options.Resamples];
        for (var r = 0; r < replicates.Length; r++)
        {
            var counts = new int[values.Length];
            Bootstrap.FillCounts(counts, options.Seed, r);
            // The drawn sample written out in full, then the statistic as numpy computes it.
            var drawn = values.SelectMany((v, i) => Enumerable.Repeat(v, counts[i])).ToArray();
            replicates[r] = metric == "latency_p95_ms" ? Percentile(drawn, 0.95) : drawn.Average();
        }
        var expected = Bootstrap.Percentile(replicates, 0.95);
        var actual = report.Metrics[metric];
        Assert.Equal(expected.Low, actual.CiLow, 9);
        Assert.Equal(expected.High, actual.CiHigh, 9);
        Assert.True(actual.CiLow <= actual.Value && actual.Value <= actual.CiHigh);
        Assert.Equal(report.Metrics[metric], Example(options).Metrics[metric]);
        Assert.NotEqual(actual, Example(options with { Seed = 8 }).Metrics[metric]);
    }

    private static double Percentile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }

    [Fact]
    public void Requirements_AreJudgedOnTheirIntervals_WithStatementsInTheContractsWords()
    {
        var report = Example();
        Assert.Equal(Verdict.Inconclusive, report.Verdict);
        var byMetric = report.Requirements.ToDictionary(r => r.Metric + (r.By is null ? "" : " by " + r.By));
        Assert.Equal(Verdict.Inconclusive, byMetric["acceptable_rate"].Verdict); // 0.549 – 0.837 around 0.60
        Assert.Equal(
            "Not settled yet: At least 60% of drafts must be acceptable. 71 of every 100 drafts are acceptable (55% to 84% at 95% confidence). About 44 more graded drafts would settle it, if the rate holds.",
            byMetric["acceptable_rate"].Statement
        );
        Assert.Equal(Verdict.Pass, byMetric["rubric.tone.mean"].Verdict);
        Assert.Equal(Verdict.Inconclusive, byMetric["rubric.factual.pass_rate by channel"].Verdict);
        Assert.Equal("chat", byMetric["rubric.factual.pass_rate by channel"].Segment);
        Assert.Equal(Verdict.Skipped, byMetric["regeneration_rate"].Verdict);
        Assert.Equal("judged in production, not on an offline data set", byMetric["regeneration_rate"].Reason);
        Assert.Equal("71 of every 100 drafts are acceptable (55% to 84% at 95% confidence).", report.Statements[0]);
        Assert.Contains(
            "2 drafts of 40 have no result on factual, so the acceptable rate rests on the 35 drafts with every result it needs.",
            report.Statements
        );
        Assert.DoesNotContain(report.Statements, s => s.Contains("NaN", StringComparison.Ordinal) || s.Length == 0);
    }

    [Fact]
    public void WorstOutputs_ComeMostFailedFirst_EachWithWhy()
    {
        var worst = Example().WorstOutputs!;
        Assert.Equal(10, worst.Count);
        Assert.Equal("T-1003", worst[0].Id);
        Assert.Equal(
            [
                @"greets: does not match /^(Hi|Hello|Dear|Hola)\b/",
                "no_refund_promise: contains \"guarantee a refund\"",
                "factual: graded fail (Is every fact in the draft supported by the ticket and our policies?)",
                "tone: graded 2 of 5, passes at 4 (Is the tone warm and professional?)",
            ],
            worst[0].Failed
        );
        Assert.True(worst.Zip(worst.Skip(1)).All(p => p.First.Failed.Count >= p.Second.Failed.Count));
        Assert.Contains(worst, w => w.Id == "T-1029" && w.Output is null);
    }

    [Fact]
    public void Baseline_IsComparedByMcNemarOnAcceptable_AndPairedBootstrapOnGrades()
    {
        var contract = ExampleContract();
        using var baselineFile = File.OpenRead(Path.Combine(Folder, "baseline.jsonl"));
        var options = new EvaluationOptions
        {
            Resamples = 300,
            Baseline = TableReader.Read(
                baselineFile,
                DataFormat.JsonLines,
                Evaluator.BaselineReadOptions(contract, "baseline.jsonl")
            ),
        };
        var report = Evaluator.Evaluate(
            contract,
            Read(contract, File.ReadAllText(Path.Combine(Folder, "cases.jsonl"))),
            options
        );
        var expected = Fixture.GetProperty("comparison");
        var comparison = report.Comparison!;
        Assert.Equal(expected.GetProperty("n").GetInt64(), comparison.N);
        var acceptable = comparison.Differences.Single(d => d.Metric == "acceptable_rate");
        var e = expected.GetProperty("acceptable_rate");
        Assert.Equal(e.GetProperty("baseline").GetDouble(), acceptable.Baseline, 12);
        Assert.Equal(e.GetProperty("candidate").GetDouble(), acceptable.Candidate, 12);
        Assert.Equal(e.GetProperty("p_value").GetDouble(), acceptable.PValue!.Value, 12);
        Assert.Equal(("mcnemar_exact", "no_real_difference"), (acceptable.Method, acceptable.Direction));

        var tone = comparison.Differences.Single(d => d.Metric == "rubric.tone.mean");
        var t = expected.GetProperty("rubric.tone.mean");
        Assert.Equal(t.GetProperty("baseline").GetDouble(), tone.Baseline, 12);
        Assert.Equal(t.GetProperty("candidate").GetDouble(), tone.Candidate, 12);
        // Each replicate draws the same tickets for both prompts: recompute the differences naively from the draws.
        var rows = File.ReadAllLines(Path.Combine(Folder, "cases.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        var old = File.ReadAllLines(Path.Combine(Folder, "baseline.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        var pairs = rows.Zip(old)
            .Where(p =>
                p.First.GetProperty("rubric.tone").ValueKind == JsonValueKind.Number
                && p.Second.GetProperty("rubric.tone").ValueKind == JsonValueKind.Number
            )
            .Select(p =>
                (
                    Old: p.Second.GetProperty("rubric.tone").GetDouble(),
                    New: p.First.GetProperty("rubric.tone").GetDouble()
                )
            )
            .ToArray();
        Assert.Equal(t.GetProperty("n").GetInt32(), pairs.Length);
        var replicates = new double[options.Resamples];
        for (var r = 0; r < replicates.Length; r++)
        {
            var counts = new int[pairs.Length];
            Bootstrap.FillCounts(counts, options.Seed, r);
            var drawn = pairs.SelectMany((p, i) => Enumerable.Repeat(p, counts[i])).ToArray();
            replicates[r] = drawn.Average(p => p.New) - drawn.Average(p => p.Old);
        }
        var interval = Bootstrap.Percentile(replicates, 0.95);
        Assert.Equal(interval.Low, tone.CiLow!.Value, 9);
        Assert.Equal(interval.High, tone.CiHigh!.Value, 9);
        Assert.Contains(
            "Acceptable rate: 0.5429 → 0.7143 (+0.1714, McNemar p = 0.1094): noise.",
            comparison.Statements
        );
    }

    private const string Small = """
        feature: f
        task: generative
        columns: { id: id, output: out, reference: ref }
        words: { output: draft }
        checks:
          - { name: close, similar_to: ref, min: 0.9 }
        rubric:
          - { name: factual, question: "Supported?" }
        requirements:
          - { metric: acceptable_rate, min: 0.5 }
        """;

    [Fact]
    public void ModelGrades_CountOnlyOnTrustedCriteria_AndNeverOverAPerson()
    {
        var contract = ContractParser.Parse(Small);
        var table = Read(
            contract,
            """
            {"id":"a","out":"abc","ref":"cab","rubric.factual":"pass"}
            {"id":"b","out":"abc","ref":"cab","rubric.factual":null}
            {"id":"c","out":"xyz","ref":"abc"}
            {"id":"d","out":"abc","ref":null}
            """
        );
        RubricGrade[] grades =
        [
            new("a", "factual", 0, GradeSource.Model),
            new("b", "factual", 0, GradeSource.Model),
            new("c", "factual", null, GradeSource.Model),
            new("d", "factual", 1, GradeSource.Model),
        ];
        var embedder = new Overlap.Tests.Shared.TestEmbedder();
        var untrusted = Evaluator.Evaluate(
            contract,
            table,
            new EvaluationOptions
            {
                Generative = new GenerativeOptions { Embedder = embedder, ModelGrades = grades },
            }
        );
        Assert.Equal(1, untrusted.Metrics["rubric.factual.pass_rate"].N); // a person's grade of a only
        Assert.Equal(1, untrusted.Metrics["acceptable_rate"].N);
        var trusted = Evaluator.Evaluate(
            contract,
            table,
            new EvaluationOptions
            {
                Generative = new GenerativeOptions
                {
                    Embedder = embedder,
                    ModelGrades = grades,
                    TrustedCriteria = new HashSet<string> { "factual" },
                },
            }
        );
        var factual = trusted.Metrics["rubric.factual.pass_rate"];
        Assert.Equal((2.0 / 3, 3L), (factual.Value, factual.N)); // a pass (person), b fail (model), c no verdict, d pass (model)
        // a acceptable; b not (model fail); c not (far from ref, factual ungraded: unknown); d similar_to not run: unknown.
        var acceptable = trusted.Metrics["acceptable_rate"];
        Assert.Equal((0.5, 2L), (acceptable.Value, acceptable.N));
        Assert.Equal(3, trusted.Metrics["check.close.pass_rate"].N);
    }

    [Fact]
    public void NoGradedOutput_SaysSoInWords_NeverNaN()
    {
        var contract = ContractParser.Parse(
            Small.Replace("similar_to: ref, min: 0.9", "max_length: 10", StringComparison.Ordinal)
        );
        var report = Evaluator.Evaluate(contract, Read(contract, """{"id":"a","out":"abc","ref":"x"}""" + "\n"));
        var acceptable = report.Requirements.Single();
        Assert.Equal(Verdict.Inconclusive, acceptable.Verdict);
        Assert.Null(acceptable.Value);
        Assert.Equal(
            "Not settled yet: At least 50% of drafts must be acceptable. No draft among these drafts has every grade it needs, so acceptable rate cannot be measured.",
            acceptable.Statement
        );
        Assert.DoesNotContain(report.Statements, s => s.Contains("NaN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(
        """{"id":"a","out":"abc","ref":"x","rubric.factual":"maybe"}""",
        "cases.jsonl: data row 1 has 'maybe' in column 'rubric.factual'; write pass or fail, or leave it empty when the output was not graded"
    )]
    [InlineData(
        """{"id":"a","answer":"abc","ref":"x"}""",
        "cases.jsonl: no column named 'out', the contract's output column; the columns are: id, ref; rename the column or fix the contract"
    )]
    public void BadData_IsRefusedWithRowAndFix(string line, string expected)
    {
        var contract = ContractParser.Parse(
            Small.Replace("similar_to: ref, min: 0.9", "max_length: 10", StringComparison.Ordinal)
        );
        var e = Assert.Throws<DataException>(() => Evaluator.Evaluate(contract, Read(contract, line + "\n")));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void SimilarTo_WithoutAnEmbedder_IsAClearError()
    {
        var contract = ContractParser.Parse(Small);
        var e = Assert.Throws<DataException>(() =>
            Evaluator.Evaluate(contract, Read(contract, """{"id":"a","out":"abc","ref":"abc"}""" + "\n"))
        );
        Assert.StartsWith(
            "check 'close' (similar_to) needs a sentence-embedding model and none is available",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData("[\"refund\", \" angry \", \"refund\"]", new[] { "refund", "angry" })]
    [InlineData("refund; angry;;", new[] { "refund", "angry" })]
    [InlineData("[not json", new[] { "[not json" })]
    public void Tags_AreAJsonArrayOrSemicolonText(string text, string[] expected) =>
        Assert.Equal(expected, GenerativeCases.SplitTags(text));
}
