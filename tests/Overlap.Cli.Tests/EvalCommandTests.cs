using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap eval</c> and <c>overlap gate</c> through the real entry point, on real files.</summary>
public sealed class EvalCommandTests
{
    private static readonly string Contract = CliRun.RepoFile("examples/payments-fraud/overlap.yaml");
    private static readonly string Scored = CliRun.RepoFile("examples/payments-fraud/scored.csv");

    [Fact]
    public async Task Example_IsInconclusive_WithTheSegmentRequirementsUnsettled()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "--contract",
            Contract,
            "--data",
            Scored,
            "--format",
            "json",
            "--resamples",
            "200"
        );
        Assert.True(code == 2, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("payments-fraud", root.GetProperty("feature").GetString());
        Assert.Equal("inconclusive", root.GetProperty("verdict").GetString());
        Assert.Equal(6000, root.GetProperty("n").GetInt64());
        var verdicts = root.GetProperty("requirements")
            .EnumerateArray()
            .Select(r =>
                (
                    r.GetProperty("metric").GetString(),
                    r.TryGetProperty("by", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null,
                    r.GetProperty("verdict").GetString()
                )
            )
            .ToList();
        Assert.Equal(
            [
                ("recall", null, "pass"),
                ("false_positive_rate", null, "pass"),
                ("precision", null, "pass"),
                ("roc_auc", null, "pass"),
                ("recall", "channel", "inconclusive"),
                ("recall", "region", "inconclusive"),
                ("latency_p95_ms", null, "skipped"),
            ],
            verdicts
        );
        var channel = root.GetProperty("requirements")[4];
        Assert.Equal("pos", channel.GetProperty("segment").GetString());
        Assert.True(channel.GetProperty("more_examples_needed").GetInt64() > 0);
        // The recall of channel = pos is 18 of 25 fraudulent payments: 0.72 exactly.
        Assert.Equal(
            0.72,
            root.GetProperty("segments")
                .GetProperty("channel")
                .GetProperty("pos")
                .GetProperty("metrics")
                .GetProperty("recall")
                .GetProperty("value")
                .GetDouble(),
            12
        );
    }

    [Fact]
    public async Task Eval_ProductionOnlyRequirement_SaysWhyItIsNotJudged()
    {
        // The latency bar is judged on production events: the report says so instead of "see why" beside an empty "—".
        var json = await CliRun.RunAsync(
            "eval",
            "--contract",
            Contract,
            "--data",
            Scored,
            "--format",
            "json",
            "--resamples",
            "100"
        );
        using var doc = JsonDocument.Parse(json.Out);
        var latency = doc
            .RootElement.GetProperty("requirements")
            .EnumerateArray()
            .Single(r => r.GetProperty("metric").GetString() == "latency_p95_ms");
        Assert.Equal("judged in production, not on an offline data set", latency.GetProperty("reason").GetString());
        var text = await CliRun.RunAsync("eval", "--contract", Contract, "--data", Scored, "--resamples", "100");
        var row = text.Out.Split('\n').Single(l => l.Contains("latency_p95_ms", StringComparison.Ordinal));
        Assert.Contains("judged in", row, StringComparison.Ordinal);
        Assert.DoesNotContain("—", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InconclusiveExit_CanBeDecidedEitherWay()
    {
        var pass = await CliRun.RunAsync(
            "eval",
            "-c",
            Contract,
            "-d",
            Scored,
            "--resamples",
            "100",
            "--inconclusive",
            "pass",
            "-f",
            "json"
        );
        var fail = await CliRun.RunAsync(
            "gate",
            "-c",
            Contract,
            "-d",
            Scored,
            "--resamples",
            "100",
            "--inconclusive",
            "fail",
            "-f",
            "json"
        );
        Assert.Equal(0, pass.Code);
        Assert.Equal(1, fail.Code);
    }

    [Fact]
    public async Task Eval_MatchesScikitLearnAndStatsmodels_OnAnUnseenDataSet()
    {
        // A data set only the fixture script has seen: string labels, two segment columns, ties.
        using var json = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "binary", "binary_fixtures.json"))
        );
        var c = json
            .RootElement.GetProperty("cases")
            .EnumerateArray()
            .First(e => e.GetProperty("name").GetString() == "imbalanced_with_ties");
        using var folder = new TempFolder();
        var csv = new StringBuilder("id,p,outcome,channel,region\n");
        var scores = c.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var labels = c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var channel = c.GetProperty("segments")
            .GetProperty("channel")
            .EnumerateArray()
            .Select(e => e.GetString())
            .ToArray();
        var region = c.GetProperty("segments")
            .GetProperty("region")
            .EnumerateArray()
            .Select(e => e.GetString())
            .ToArray();
        for (var i = 0; i < scores.Length; i++)
        {
            csv.Append(
                CultureInfo.InvariantCulture,
                $"r{i},{scores[i].ToString("R", CultureInfo.InvariantCulture)},{(labels[i] == 1 ? "bad" : "good")},{channel[i]},{region[i]}\n"
            );
        }
        var data = folder.Write("scored.csv", csv.ToString());
        var contract = folder.Write(
            "overlap.yaml",
            """
            feature: unseen
            task: binary
            labels: { positive: bad, negative: good }
            columns: { id: id, label: outcome, score: p, segments: [channel, region] }
            threshold: 0.3
            costs: { false_positive: 2, false_negative: 25 }
            requirements:
              - { metric: recall, min: 0.5 }
            """
        );
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            contract,
            "-d",
            data,
            "-f",
            "json",
            "--resamples",
            "100"
        );
        Assert.True(code is 0 or 1 or 2, stderr);
        using var report = JsonDocument.Parse(stdout);
        var root = report.RootElement;
        AssertFigures(c.GetProperty("overall"), root.GetProperty("metrics"), "overall");
        foreach (var column in new[] { "channel", "region" })
        {
            foreach (var value in c.GetProperty("by_segment").GetProperty(column).EnumerateObject())
            {
                AssertFigures(
                    value.Value,
                    root.GetProperty("segments").GetProperty(column).GetProperty(value.Name).GetProperty("metrics"),
                    $"{column}={value.Name}"
                );
            }
        }
        var optimum = c.GetProperty("optimum");
        Assert.Equal(
            optimum.GetProperty("threshold").GetDouble(),
            root.GetProperty("cost").GetProperty("optimal_threshold").GetDouble()
        );
        Assert.Equal(
            1000 * optimum.GetProperty("cost").GetDouble() / scores.Length,
            root.GetProperty("cost").GetProperty("optimal_cost_per_1000").GetDouble(),
            9
        );
    }

    [Fact]
    public async Task ReportFiles_AreWrittenInTheFormatOfTheirExtension()
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            Contract,
            "-d",
            Scored,
            "--resamples",
            "100",
            "-o",
            folder.PathOf("r.json"),
            "-o",
            folder.PathOf("r.md"),
            "-o",
            folder.PathOf("r.xml"),
            "-o",
            folder.PathOf("r.html")
        );
        Assert.True(code == 2, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.PathOf("r.json")));
        Assert.Equal("inconclusive", json.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("| recall", File.ReadAllText(folder.PathOf("r.md")), StringComparison.Ordinal);
        var junit = System.Xml.Linq.XDocument.Load(folder.PathOf("r.xml"));
        Assert.Equal(7, junit.Descendants("testcase").Count());
        Assert.StartsWith(
            "<!doctype html>",
            File.ReadAllText(folder.PathOf("r.html")),
            StringComparison.OrdinalIgnoreCase
        );
    }

    [Fact]
    public async Task Gate_AppendsTheMarkdownReportToTheGitHubStepSummary()
    {
        using var folder = new TempFolder();
        var summary = folder.Write("summary.md", "# earlier step\n");
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", summary);
        try
        {
            var (code, _, _) = await CliRun.RunAsync("gate", "-c", Contract, "-d", Scored, "--resamples", "100");
            Assert.Equal(2, code);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", null);
        }
        var text = File.ReadAllText(summary);
        Assert.StartsWith("# earlier step\n", text, StringComparison.Ordinal);
        Assert.Contains("payments-fraud", text, StringComparison.Ordinal);
        Assert.Contains("recall", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-folder")]
    [InlineData("is-a-folder")]
    public async Task Gate_StepSummaryCannotBeWritten_WarnsAndKeepsTheVerdictsExitCode(string kind)
    {
        using var folder = new TempFolder();
        var summary = kind == "is-a-folder" ? folder.Path : folder.PathOf(Path.Combine("no-such-folder", "summary.md"));
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", summary);
        (int Code, string Out, string Err) run;
        try
        {
            run = await CliRun.RunAsync("gate", "-c", Contract, "-d", Scored, "--resamples", "100");
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", null);
        }
        Assert.Equal(2, run.Code);
        CliRun.AssertOneLineError(
            run.Err,
            "warning: cannot append the report to GITHUB_STEP_SUMMARY",
            "the verdict's exit code is unchanged"
        );
    }

    [Fact]
    public async Task Baseline_PairedById_SaysWhichDifferencesAreRealAndWhichAreNoise()
    {
        var baseline = CliRun.RepoFile("examples/payments-fraud/baseline.csv");
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            Contract,
            "-d",
            Scored,
            "--baseline",
            baseline,
            "-f",
            "json",
            "--resamples",
            "200"
        );
        Assert.True(code == 2, stderr);
        using var json = JsonDocument.Parse(stdout);
        var comparison = json.RootElement.GetProperty("comparison");
        Assert.Equal(6000, comparison.GetProperty("n").GetInt64());
        var byMetric = comparison
            .GetProperty("differences")
            .EnumerateArray()
            .ToDictionary(d => d.GetProperty("metric").GetString()!);
        Assert.Equal("mcnemar_chi2", byMetric["accuracy"].GetProperty("method").GetString());
        Assert.Equal("better", byMetric["roc_auc"].GetProperty("direction").GetString());
        // The baseline's noise leaves recall where it was: no real difference.
        Assert.Equal("no_real_difference", byMetric["recall"].GetProperty("direction").GetString());
        Assert.Equal(0.9535, byMetric["accuracy"].GetProperty("candidate").GetDouble(), 12);
    }

    [Fact]
    public async Task Baseline_WithoutTheSameExamples_IsRefused()
    {
        using var folder = new TempFolder();
        var lines = File.ReadAllLines(CliRun.RepoFile("examples/payments-fraud/baseline.csv"));
        var partial = folder.Write("baseline.csv", string.Join('\n', lines.Take(100)) + "\n");
        var (code, _, err) = await CliRun.RunAsync("eval", "-c", Contract, "-d", Scored, "--baseline", partial);
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "not in the baseline");
    }

    [Fact]
    public async Task JsonLinesAndGzip_GiveTheSameReportAsCsv()
    {
        using var folder = new TempFolder();
        var lines = File.ReadAllLines(Scored);
        var header = lines[0].Split(',');
        var jsonl = new StringBuilder();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var fields = header.Select(
                (h, i) =>
                    double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                        ? $"\"{h}\":{cells[i]}"
                        : $"\"{h}\":\"{cells[i]}\""
            );
            jsonl.Append('{').AppendJoin(',', fields).Append("}\n");
        }
        var jsonlPath = folder.Write("scored.jsonl", jsonl.ToString());
        var gzPath = folder.PathOf("scored.csv.gz");
        using (
            var gz = new System.IO.Compression.GZipStream(
                File.Create(gzPath),
                System.IO.Compression.CompressionLevel.Fastest
            )
        )
        {
            gz.Write(File.ReadAllBytes(Scored));
        }
        var csv = await CliRun.RunAsync("eval", "-c", Contract, "-d", Scored, "-f", "json", "--resamples", "100");
        var fromJsonl = await CliRun.RunAsync(
            "eval",
            "-c",
            Contract,
            "-d",
            jsonlPath,
            "-f",
            "json",
            "--resamples",
            "100"
        );
        var fromGz = await CliRun.RunAsync("eval", "-c", Contract, "-d", gzPath, "-f", "json", "--resamples", "100");
        Assert.True(fromJsonl.Code == 2, fromJsonl.Err);
        // The figures agree; only the provenance (file name, hash, time) tells the files apart.
        Assert.Equal(CliRun.WithoutProvenance(csv.Out), CliRun.WithoutProvenance(fromJsonl.Out));
        Assert.Equal(CliRun.WithoutProvenance(csv.Out), CliRun.WithoutProvenance(fromGz.Out));
        Assert.Equal(
            "scored.csv.gz",
            Overlap.Core.Reports.ReportJson.ReadEvaluation(fromGz.Out)!.Provenance!.Data[0].Name
        );
    }

    private static void AssertFigures(JsonElement expected, JsonElement actual, string where)
    {
        foreach (
            var metric in new[]
            {
                "accuracy",
                "precision",
                "recall",
                "specificity",
                "false_positive_rate",
                "false_negative_rate",
                "positive_rate",
                "f1",
                "roc_auc",
                "pr_auc",
                "brier",
                "log_loss",
                "ece",
            }
        )
        {
            var e = expected.GetProperty(metric);
            var a = actual.GetProperty(metric);
            if (e.ValueKind == JsonValueKind.Null)
            {
                Assert.Equal(JsonValueKind.Null, a.GetProperty("value").ValueKind);
                continue;
            }
            var value = e.ValueKind == JsonValueKind.Array ? e[0].GetDouble() : e.GetDouble();
            // The JSON report rounds to 12 significant digits, well inside 1e-9.
            Assert.True(
                Math.Abs(value - a.GetProperty("value").GetDouble()) <= 1e-9,
                $"{where} {metric}: {value} vs {a.GetProperty("value")}"
            );
            if (e.ValueKind == JsonValueKind.Array)
            {
                Assert.True(
                    Math.Abs(e[1][0].GetDouble() - a.GetProperty("ci_low").GetDouble()) <= 1e-9,
                    $"{where} {metric} ci_low"
                );
                Assert.True(
                    Math.Abs(e[1][1].GetDouble() - a.GetProperty("ci_high").GetDouble()) <= 1e-9,
                    $"{where} {metric} ci_high"
                );
            }
        }
    }

    [Fact]
    public async Task Eval_BinaryPredictionWrittenAsOneAndZero_IsJudged_NotRefused()
    {
        using var folder = new TempFolder();
        var data = folder.Write(
            "scored.csv",
            "y,d\n"
                + string.Concat(Enumerable.Repeat("fraud,1\n", 30))
                + string.Concat(Enumerable.Repeat("fraud,0\n", 10))
                + string.Concat(Enumerable.Repeat("legit,0\n", 60))
        );
        var contract = folder.Write(
            "overlap.yaml",
            "feature: t\ntask: binary\nlabels: { positive: fraud, negative: legit }\ncolumns: { label: y, prediction: d }\nrequirements:\n  - { metric: recall, min: 0.5 }\n"
        );
        var (code, stdout, stderr) = await CliRun.RunAsync("eval", "-c", contract, "-d", data, "-f", "json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(
            0.75,
            json.RootElement.GetProperty("metrics").GetProperty("recall").GetProperty("value").GetDouble(),
            12
        );
    }

    [Fact]
    public async Task Eval_RegressionWithBaseline_ReportsThePairedComparison_NotSilence()
    {
        using var folder = new TempFolder();
        var data = new StringBuilder("id,y,d\n");
        var baseline = new StringBuilder("id,y,d\n");
        for (var i = 0; i < 100; i++)
        {
            data.Append(CultureInfo.InvariantCulture, $"{i},{i},{i + 1}\n");
            baseline.Append(CultureInfo.InvariantCulture, $"{i},{i},{i + 4}\n");
        }
        var contract = folder.Write(
            "overlap.yaml",
            "feature: t\ntask: regression\ncolumns: { id: id, label: y, prediction: d }\n"
        );
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            contract,
            "-d",
            folder.Write("new.csv", data.ToString()),
            "--baseline",
            folder.Write("old.csv", baseline.ToString()),
            "-f",
            "json",
            "--resamples",
            "100"
        );
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var mae = json
            .RootElement.GetProperty("comparison")
            .GetProperty("differences")
            .EnumerateArray()
            .Single(d => d.GetProperty("metric").GetString() == "mae");
        Assert.Equal("better", mae.GetProperty("direction").GetString());
    }
}
